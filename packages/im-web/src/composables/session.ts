/**
 * The web client's side of the client core's `Session`: what it needs from this app (stores,
 * "is the user looking at this chat", the browser platform), and what the user sees when
 * something happens (toasts, alerts, sound, the call screen). Lifecycle and frame routing
 * are the core's.
 */
import { ref } from 'vue';
import { ElMessage } from 'element-plus';
import type { GroupMessageVO, PrivateMessageVO } from '@box-im/im-common';
import { Session, type SessionEvents, type SessionHost, type WsState } from '@box-im/im-app-core';
import { api } from '../api';
import { tokens } from '../api/token';
import { t } from '../i18n';
import { browserClock, browserSocket, wsUrl } from '../platform';
import { contacts, stores, watching } from './chat-open';
import { alert } from './dialogs';
import { notifyIncoming } from './notify';
import { outbox } from './send';
import { typing } from './typing';

export { groupChat, privateChat, readActive } from './chat-open';

export const wsState = ref<WsState>('idle');
let session: Session | null = null;
let exitHandler: () => void = () => undefined;
let rtcListener: ((vo: PrivateMessageVO) => void) | null = null;
let rtcGroupListener: ((vo: GroupMessageVO) => void) | null = null;

/** Where to go after a logout (the login screen). */
export function onExit(fn: () => void) {
  exitHandler = fn;
}

/** The call screen listens to private call signalling. */
export function onRtc(fn: ((vo: PrivateMessageVO) => void) | null) {
  rtcListener = fn;
}

/** The group call screen listens to group call signalling. */
export function onRtcGroup(fn: ((vo: GroupMessageVO) => void) | null) {
  rtcGroupListener = fn;
}

/** A password change closes every connection, ours included: that logout is expected. */
export function expectLogout(ms = 10_000) {
  session?.expectLogout(ms);
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
      await Promise.all([friend.load(), group.load(), config.load(), social.load()]);
    },
  };
}

/** What the user sees and hears. */
function ui(onCacheReady: () => void): SessionEvents {
  return {
    onCacheReady,
    onWsState: (state, previous) => {
      wsState.value = state;
      if (state === 'waiting' && previous === 'open') ElMessage.warning(t('ws.reconnecting'));
    },
    onReconnected: () => {
      ElMessage.success(t('ws.reconnected'));
    },
    onIncoming: notifyIncoming,
    onTyping: (peerId) => typing.received(peerId),
    onPeerMessage: (peerId) => typing.stop(peerId),
    onRtcPrivate: (vo) => rtcListener?.(vo),
    onRtcGroup: (vo) => rtcGroupListener?.(vo),
    onFriendRequest: (request) => {
      const { social, user } = stores();
      social.book.applyRequest(request);
      if (request.status === 0 && request.recvId === user.id()) {
        ElMessage.info(t('friend.newRequest', { name: request.sendNickName }));
      } else if (request.status === 1 && request.sendId === user.id()) {
        ElMessage.success(t('friend.requestAccepted', { name: request.recvNickName }));
      }
    },
    onGroupInvite: (invite) => {
      stores().social.book.applyInvite(invite);
      ElMessage.info(t('group.newInvite', { name: invite.inviterNickName, group: invite.groupName }));
    },
    onForceLogout: (expected) => {
      if (expected) logout();
      else void alert(t('ws.forceLogout'), 'warning').then(() => logout());
    },
    onBanned: (reason) => {
      void alert(t('ws.banned', { reason }), 'error').then(() => logout());
    },
  };
}

/**
 * Start the session: with a remembered profile the cached chats show first
 * (`onCacheReady` fires before any network call), then the profile, lists and socket.
 */
export async function startSession(onCacheReady: () => void = () => undefined) {
  session?.stop();
  const { chat } = stores();
  session = new Session({
    api,
    book: chat.book,
    outbox: outbox(),
    tokens,
    host: host(),
    events: ui(onCacheReady),
    clock: browserClock,
    random: Math.random,
    url: wsUrl(),
    socket: browserSocket,
  });
  await session.start();
}

/** For the e2e "go offline" step: drop the socket as a network failure would. */
export function dropSocket() {
  session?.drop();
}

/** The browser reports the network is back: reconnect without waiting out the backoff. */
export function retrySocketNow() {
  session?.retryNow();
}

export function logout() {
  const { chat, friend, group, user, social } = stores();
  const ending = session;
  session = null;
  void (ending ? ending.end() : chat.flush().finally(() => chat.clear()));
  friend.clear();
  group.clear();
  social.clear();
  typing.clear();
  user.clear();
  tokens.clear();
  exitHandler();
}
