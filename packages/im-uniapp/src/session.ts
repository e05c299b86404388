/**
 * The app's side of the client core's `Session`: its stores, "is the user looking at this
 * chat", uni's platform, and what the user sees (toasts, modals, the tab badge). Lifecycle,
 * offline pull, frame buffering and routing are the core's.
 */
import { ref, shallowRef, watch, type WatchStopHandle } from 'vue';
import type { FriendRequestVO, GroupInviteVO } from '@box-im/im-common';
import {
  chatKey,
  markChatRead,
  openGroupChat,
  openPrivateChat,
  storeContacts,
  Outbox,
  RequestStatus,
  Session,
  TypingTracker,
  type Chat,
  type Contacts,
  type SessionHost,
  type WsState,
} from '@box-im/im-app-core';
import { api, http, tokens } from './api';
import { t } from './i18n';
import { uniClock, uniSocket, wsUrl } from './platform';
import { useChatStore } from './stores/chat';
import { useFriendStore } from './stores/friend';
import { useGroupStore } from './stores/group';
import { useUserStore } from './stores/user';
import { useConfigStore } from './stores/config';
import { useSocialStore } from './stores/social';
import { alertBox, syncContactsBadge } from './lib/ui';
import { onGroupSignal, onPrivateSignal } from './rtc';

export const wsState = ref<WsState>('idle');
/** Peers typing to me now (the chat page shows "对方正在输入…" in its title). */
export const typingPeers = shallowRef<ReadonlySet<number>>(new Set());
export const typing = new TypingTracker({
  clock: uniClock,
  send: (peerId) => api.typing(peerId),
  onChange: (peers) => {
    typingPeers.value = peers;
  },
});
let session: Session | null = null;
let box: Outbox | null = null;
let badgeWatch: WatchStopHandle | null = null;

export function stores() {
  return {
    chat: useChatStore(),
    friend: useFriendStore(),
    group: useGroupStore(),
    user: useUserStore(),
    config: useConfigStore(),
    social: useSocialStore(),
  };
}

export function contacts(): Contacts {
  const { friend, group } = stores();
  return storeContacts(friend, group);
}

export const privateChat = (peerId: number): Chat => openPrivateChat(stores().chat.book, contacts(), peerId);
export const groupChat = (groupId: number): Chat => openGroupChat(stores().chat.book, contacts(), groupId);

/** The chat page shows this chat and the app is in the foreground. */
export function watching(c: Chat): boolean {
  const { chat } = stores();
  return chat.viewing && chat.foreground && chat.state.activeKey === chatKey(c.type, c.targetId);
}

/** Mark the open chat read (server and here) when the user can see it. */
export function readActive(): void {
  const { chat } = stores();
  const c = chat.active;
  if (c && watching(c)) markChatRead(api, chat.book, c);
}

/** The optimistic send queue of the current chat book. */
export function outbox(): Outbox {
  if (!box) {
    const { chat, user } = stores();
    box = new Outbox({
      api,
      book: chat.book,
      clock: uniClock,
      random: Math.random,
      sender: () => ({ id: user.id(), nickName: user.user?.nickName ?? '' }),
    });
  }
  return box;
}

function host(): SessionHost {
  const { friend, group, user, config, social } = stores();
  return {
    me: () => user.id(),
    contacts: contacts(),
    isWatching: watching,
    cachedUserId: () => user.restore()?.id ?? null,
    loadProfile: async () => (await user.load()).id,
    loadLists: async () => {
      await Promise.all([friend.load(), group.load(), config.load(true), social.book.load()]);
    },
  };
}

const toast = (title: string) => uni.showToast({ title, icon: 'none' });

function alertThenLogout(content: string) {
  void alertBox(content).then(() => logout());
}

/** A request to or from me was made or settled (here or on another terminal). */
function onFriendRequest(request: FriendRequestVO): void {
  const { social, user } = stores();
  social.book.applyRequest(request);
  if (request.status === RequestStatus.PENDING && request.recvId === user.id()) {
    toast(t('social.newRequest', { name: request.sendNickName }));
  } else if (request.status === RequestStatus.ACCEPTED && request.sendId === user.id()) {
    toast(t('social.accepted', { name: request.recvNickName }));
  }
}

function onGroupInvite(invite: GroupInviteVO): void {
  stores().social.book.applyInvite(invite);
  toast(t('social.newInvite', { name: invite.inviterNickName, group: invite.groupName }));
}

/** Start syncing; resolves once the profile and lists are in (or the cache shows, offline). */
export async function startSession(): Promise<void> {
  session?.stop();
  const { chat } = stores();
  session = new Session({
    api,
    book: chat.book,
    outbox: outbox(),
    tokens,
    host: host(),
    clock: uniClock,
    random: Math.random,
    url: wsUrl,
    socket: uniSocket,
    events: {
      onRtcPrivate: onPrivateSignal,
      onRtcGroup: onGroupSignal,
      onTyping: (peerId) => typing.received(peerId),
      onPeerMessage: (peerId) => typing.stop(peerId),
      onFriendRequest,
      onGroupInvite,
      onWsState: (state, previous) => {
        wsState.value = state;
        if (state === 'waiting' && previous === 'open') toast(t('ws.reconnecting'));
      },
      onReconnected: () => toast(t('ws.reconnected')),
      onForceLogout: (expected) => (expected ? logout() : alertThenLogout(t('ws.forceLogout'))),
      onBanned: (reason) => alertThenLogout(t('ws.banned', { reason })),
    },
  });
  badgeWatch ??= watch(
    () => stores().social.waiting,
    (n) => syncContactsBadge(n),
    { immediate: true },
  );
  await session.start();
}

export const isLoggedIn = () => tokens.accessToken() !== null || tokens.refreshToken() !== null;

/** A password change closes every connection, ours included: that logout is expected. */
export const expectLogout = (ms?: number) => session?.expectLogout(ms);

export const retrySocketNow = () => session?.retryNow();

/** Back to the login page with nothing of this user left in memory (the cache stays). */
export function logout(): void {
  const { chat, friend, group, user, social } = stores();
  const ending = session;
  session = null;
  void (ending ? ending.end() : chat.book.flush().finally(() => chat.book.clear()));
  friend.clear();
  group.clear();
  social.book.clear();
  typing.clear();
  user.clear();
  tokens.clear();
  wsState.value = 'idle';
  uni.reLaunch({ url: '/pages/login/login' });
}

/** An incurable 401 (refresh token gone or revoked): log out. */
http.events = {
  onAuthLost: () => {
    if (session) logout();
  },
  onError: (e) => toast(e.message),
};
