/**
 * The logged-in session: startup (cache first, then sync), the WebSocket, frame routing,
 * offline pulls with buffering, resync after reconnect, force-logout and ban.
 */
import { ref } from 'vue';
import { ElMessage } from 'element-plus';
import { alert } from './dialogs';
import {
  Cmd,
  MessageType,
  type FriendVO,
  type GroupMessageVO,
  type GroupVO,
  type PrivateMessageVO,
  type SystemMessageVO,
} from '@box-im/im-common';
import { api } from '../api';
import { clearTokens, getAccessToken } from '../api/token';
import { WsClient, wsUrl, type WsFrame, type WsState } from '../api/ws';
import { fromGroup, fromPrivate, privatePeer } from '../lib/convert';
import { FrameBuffer } from '../lib/router-buffer';
import { isShown } from '../lib/summary';
import type { Chat, ChatMessage } from '../lib/types';
import { groupChat, privateChat, readActive, stores, watching } from './chat-open';

export { groupChat, privateChat, readActive } from './chat-open';
import { t } from '../i18n';
import { notifyIncoming } from './notify';
import { retryNetworkFailures } from './send';

export const wsState = ref<WsState>('idle');
let ws: WsClient | null = null;
const buffer = new FrameBuffer<WsFrame>();
let exitHandler: () => void = () => undefined;

/** A password change closes every connection, ours included: that logout is expected, not "elsewhere". */
let quietLogoutUntil = 0;
export function expectLogout(ms = 10_000) {
  quietLogoutUntil = Date.now() + ms;
}

export function onExit(fn: () => void) {
  exitHandler = fn;
}

export function handlePrivate(vo: PrivateMessageVO, live: boolean) {
  const { chat, friend, user } = stores();
  const me = user.id();
  const peer = privatePeer(vo, me);
  switch (vo.type) {
    case MessageType.READED: {
      const c = chat.get('PRIVATE', peer);
      if (c) chat.resetUnread(c);
      return;
    }
    case MessageType.RECEIPT: {
      const c = chat.get('PRIVATE', peer);
      if (c) chat.markPeerRead(c);
      return;
    }
    case MessageType.RECALL: {
      const c = privateChat(peer);
      chat.recall(c, Number(vo.content));
      chat.bumpMaxId('PRIVATE', vo.id);
      return;
    }
    case MessageType.FRIEND_NEW:
      try {
        friend.upsert(JSON.parse(vo.content) as FriendVO);
        void friend.refreshOnline();
      } catch {
        /* ignore malformed */
      }
      return;
    case MessageType.FRIEND_DEL:
      friend.markDeleted(peer);
      return;
    case MessageType.FRIEND_DND:
      friend.setDnd(peer, vo.content === 'true');
      chat.setDnd('PRIVATE', peer, vo.content === 'true');
      return;
    default:
      break;
  }
  if (vo.type >= 100 && vo.type < 200) {
    rtcListener?.(vo);
    return;
  }
  if (!isShown(vo.type)) return;
  const c = privateChat(peer);
  const m = fromPrivate(vo, me);
  const seen = watching(c);
  const fresh = chat.insert(c, [m], me, !seen);
  if (!m.selfSend && m.id !== undefined) chat.markPeerRead(c, m.id);
  if (fresh.length && !m.selfSend) {
    if (seen) void api.readPrivate(peer);
    if (live) notifyIncoming(c, m);
  }
}

export function handleGroup(vo: GroupMessageVO, live: boolean) {
  const { chat, group, user } = stores();
  const me = user.id();
  switch (vo.type) {
    case MessageType.READED: {
      const c = chat.get('GROUP', vo.groupId);
      if (c) chat.resetUnread(c);
      return;
    }
    case MessageType.RECEIPT: {
      const c = chat.get('GROUP', vo.groupId);
      if (c) chat.patch(c, { id: vo.id }, { readedCount: vo.readedCount, receiptOk: vo.receiptOk });
      return;
    }
    case MessageType.RECALL: {
      const c = groupChat(vo.groupId);
      chat.recall(c, Number(vo.content));
      chat.bumpMaxId('GROUP', vo.id);
      return;
    }
    case MessageType.GROUP_NEW:
      try {
        group.upsert(JSON.parse(vo.content) as GroupVO);
      } catch {
        /* ignore */
      }
      return;
    case MessageType.GROUP_DEL:
      group.markQuit(vo.groupId);
      return;
    case MessageType.GROUP_DND:
      group.setDnd(vo.groupId, vo.content === 'true');
      chat.setDnd('GROUP', vo.groupId, vo.content === 'true');
      return;
    default:
      break;
  }
  if (!isShown(vo.type)) return;
  const c = groupChat(vo.groupId);
  const m = fromGroup(vo, me);
  const seen = watching(c);
  const fresh = chat.insert(c, [m], me, !seen);
  if (fresh.length && !m.selfSend) {
    if (seen && m.id !== undefined) void api.readGroup(vo.groupId, m.id);
    if (live) notifyIncoming(c, m);
  }
}

function handleSystem(vo: SystemMessageVO) {
  if (vo.type === MessageType.USER_BANNED) {
    ws?.stop();
    void alert(t('ws.banned', { reason: vo.content }), 'error').then(() => logout());
  }
}

function route(frame: WsFrame, live: boolean) {
  if (frame.cmd === Cmd.PRIVATE_MESSAGE) handlePrivate(frame.data as PrivateMessageVO, live);
  else if (frame.cmd === Cmd.GROUP_MESSAGE) handleGroup(frame.data as GroupMessageVO, live);
  else if (frame.cmd === Cmd.SYSTEM_MESSAGE) handleSystem(frame.data as SystemMessageVO);
  else if (frame.cmd === Cmd.FORCE_LOGOUT) {
    if (Date.now() < quietLogoutUntil) logout();
    else void alert(t('ws.forceLogout'), 'warning').then(() => logout());
  }
}

/** Group pulled messages by chat and merge each chat once (fast for big pulls). */
function applyBatch<T>(
  list: T[],
  keyOf: (vo: T) => Chat,
  conv: (vo: T) => ChatMessage,
  special: (vo: T) => boolean,
  handle: (vo: T) => void,
) {
  const { chat, user } = stores();
  const me = user.id();
  const groups = new Map<Chat, ChatMessage[]>();
  for (const vo of list) {
    if (special(vo)) {
      handle(vo);
      continue;
    }
    const c = keyOf(vo);
    const arr = groups.get(c) ?? [];
    arr.push(conv(vo));
    groups.set(c, arr);
  }
  for (const [c, msgs] of groups) {
    chat.insert(c, msgs, me, !watching(c));
    const lastPeer = [...msgs].reverse().find((m) => !m.selfSend && m.id !== undefined);
    if (c.type === 'PRIVATE' && lastPeer?.id !== undefined) chat.markPeerRead(c, lastPeer.id);
  }
}

export async function pullOffline() {
  const { chat, user } = stores();
  const me = user.id();
  buffer.hold();
  chat.loading = true;
  try {
    const [priv, grp] = await Promise.all([
      api.offlinePrivate(chat.privateMaxId),
      api.offlineGroup(chat.groupMaxId),
    ]);
    grp.sort((a, b) => a.id - b.id);
    applyBatch(
      priv,
      (vo) => privateChat(privatePeer(vo, me)),
      (vo) => fromPrivate(vo, me),
      (vo) => !isShown(vo.type) || vo.type === MessageType.RECALL,
      (vo) => handlePrivate(vo, false),
    );
    applyBatch(
      grp,
      (vo) => groupChat(vo.groupId),
      (vo) => fromGroup(vo, me),
      (vo) => !isShown(vo.type) || vo.type === MessageType.RECALL,
      (vo) => handleGroup(vo, false),
    );
  } finally {
    chat.loading = false;
    for (const f of buffer.release()) route(f, true);
    await chat.flush();
  }
}

/** Friends/groups could not be loaded at startup (offline): reload on the first login ack. */
let listsStale = false;

async function onReady(reconnect: boolean) {
  const { friend, group, user } = stores();
  if (reconnect || listsStale) {
    await Promise.all([user.load(), friend.load(), group.load()]).then(
      () => (listsStale = false),
      () => undefined,
    );
  }
  await pullOffline().catch(() => undefined);
  retryNetworkFailures(stores().chat.list);
  if (reconnect) {
    ElMessage.success(t('ws.reconnected'));
    const active = stores().chat.active;
    if (active?.type === 'PRIVATE') {
      const upTo = await api.maxReadedId(active.targetId).catch(() => -1);
      if (upTo > 0) stores().chat.markPeerRead(active, upTo);
    }
  }
  readActive();
}

let rtcListener: ((vo: PrivateMessageVO) => void) | null = null;
export function onRtc(fn: ((vo: PrivateMessageVO) => void) | null) {
  rtcListener = fn;
}

/**
 * Start the session. With a remembered profile the cached chats are shown first
 * (`onCacheReady` fires before any network call); then the profile, friends and groups
 * are fetched and the socket opens, whose login ack triggers the offline pull.
 */
export async function startSession(onCacheReady: () => void = () => undefined) {
  const { chat, friend, group, user, config } = stores();
  const cached = user.restore();
  if (cached) {
    await chat.load(cached.id);
    onCacheReady();
  }
  let me = cached;
  try {
    me = await user.load();
  } catch (e) {
    // Offline at startup: keep the cached session; the socket retries with backoff.
    if (!cached) throw e;
  }
  if (me && me.id !== cached?.id) {
    await chat.load(me.id);
    onCacheReady();
  }
  listsStale = !(await Promise.all([friend.load(), group.load(), config.load()]).then(
    () => true,
    () => false,
  ));
  ws?.stop();
  ws = new WsClient(
    { url: wsUrl(), token: getAccessToken, beforeReconnect: async () => void (await api.self(true)) },
    {
      onState: (s) => {
        const was = wsState.value;
        wsState.value = s;
        if (s === 'waiting' && was === 'open') ElMessage.warning(t('ws.reconnecting'));
      },
      onReady: (reconnect) => void onReady(reconnect),
      onFrame: (f) => {
        if (!buffer.offer(f)) route(f, true);
      },
    },
  );
  ws.start();
}

/** For tests and the e2e "go offline" step: drop the socket as a network failure would. */
export function dropSocket() {
  ws?.drop();
}
export function retrySocketNow() {
  ws?.retryNow();
}

export function logout() {
  const { chat, friend, group, user } = stores();
  ws?.stop();
  ws = null;
  void chat.flush().finally(() => chat.clear());
  friend.clear();
  group.clear();
  user.clear();
  clearTokens();
  exitHandler();
}
