/**
 * The logged-in session: startup (cache first, then sync), the WebSocket, frame routing,
 * offline pulls with buffering, resync after reconnect, force-logout and ban.
 */
import { ref } from 'vue';
import { ElMessage, ElMessageBox } from 'element-plus';
import {
  Cmd, MessageType,
  type FriendVO, type GroupMessageVO, type GroupVO, type PrivateMessageVO, type SystemMessageVO,
} from '@box-im/im-common';
import { api } from '../api';
import { clearTokens, getAccessToken } from '../api/token';
import { WsClient, wsUrl, type WsFrame, type WsState } from '../api/ws';
import { useChatStore } from '../stores/chat';
import { useFriendStore } from '../stores/friend';
import { useGroupStore } from '../stores/group';
import { useUserStore } from '../stores/user';
import { useConfigStore } from '../stores/config';
import { fromGroup, fromPrivate, privatePeer } from '../lib/convert';
import { FrameBuffer } from '../lib/router-buffer';
import { isShown } from '../lib/summary';
import { chatKey, type Chat, type ChatMessage } from '../lib/types';
import { t } from '../i18n';
import { notifyIncoming } from './notify';

export const wsState = ref<WsState>('idle');
let ws: WsClient | null = null;
const buffer = new FrameBuffer<WsFrame>();
let exitHandler: () => void = () => undefined;

export function onExit(fn: () => void) {
  exitHandler = fn;
}

function stores() {
  return {
    chat: useChatStore(),
    friend: useFriendStore(),
    group: useGroupStore(),
    user: useUserStore(),
    config: useConfigStore(),
  };
}

export function privateChat(peerId: number): Chat {
  const { chat, friend } = stores();
  const f = friend.find(peerId);
  return chat.open('PRIVATE', peerId, { showName: f?.nickName ?? String(peerId), headImage: f?.headImage ?? '', isDnd: f?.isDnd });
}

export function groupChat(groupId: number): Chat {
  const { chat, group } = stores();
  const g = group.find(groupId);
  return chat.open('GROUP', groupId, { showName: g?.showGroupName ?? g?.name ?? String(groupId), headImage: g?.headImageThumb ?? '', isDnd: g?.isDnd });
}

/** Is the user looking at this chat right now (tab visible)? */
function watching(c: Chat): boolean {
  const { chat } = stores();
  return chat.activeKey === chatKey(c.type, c.targetId) && document.visibilityState === 'visible';
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
    void ElMessageBox.alert(t('ws.banned', { reason: vo.content }), { type: 'error' }).finally(() => logout());
  }
}

function route(frame: WsFrame, live: boolean) {
  if (frame.cmd === Cmd.PRIVATE_MESSAGE) handlePrivate(frame.data as PrivateMessageVO, live);
  else if (frame.cmd === Cmd.GROUP_MESSAGE) handleGroup(frame.data as GroupMessageVO, live);
  else if (frame.cmd === Cmd.SYSTEM_MESSAGE) handleSystem(frame.data as SystemMessageVO);
  else if (frame.cmd === Cmd.FORCE_LOGOUT) {
    void ElMessageBox.alert(t('ws.forceLogout'), { type: 'warning' }).finally(() => logout());
  }
}

/** Group pulled messages by chat and merge each chat once (fast for big pulls). */
function applyBatch<T>(list: T[], keyOf: (vo: T) => Chat, conv: (vo: T) => ChatMessage, special: (vo: T) => boolean, handle: (vo: T) => void) {
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
    const [priv, grp] = await Promise.all([api.offlinePrivate(chat.privateMaxId), api.offlineGroup(chat.groupMaxId)]);
    grp.sort((a, b) => a.id - b.id);
    applyBatch(priv, (vo) => privateChat(privatePeer(vo, me)), (vo) => fromPrivate(vo, me),
      (vo) => !isShown(vo.type) || vo.type === MessageType.RECALL, (vo) => handlePrivate(vo, false));
    applyBatch(grp, (vo) => groupChat(vo.groupId), (vo) => fromGroup(vo, me),
      (vo) => !isShown(vo.type) || vo.type === MessageType.RECALL, (vo) => handleGroup(vo, false));
  } finally {
    chat.loading = false;
    for (const f of buffer.release()) route(f, true);
    await chat.flush();
  }
}

async function onReady(reconnect: boolean) {
  const { friend, group } = stores();
  if (reconnect) {
    await Promise.all([friend.load(), group.load()]).catch(() => undefined);
  }
  await pullOffline().catch(() => undefined);
  if (reconnect) ElMessage.success(t('ws.reconnected'));
  readActive();
}

/** Mark the open chat as read on the server and locally. */
export function readActive() {
  const { chat } = stores();
  const c = chat.active;
  if (!c || document.visibilityState !== 'visible') return;
  if (c.unreadCount > 0 || c.atMe || c.atAll) {
    if (c.type === 'PRIVATE') void api.readPrivate(c.targetId);
    else {
      const last = [...c.messages].reverse().find((m) => m.id !== undefined);
      void api.readGroup(c.targetId, last?.id);
    }
    chat.resetUnread(c);
  }
}

let rtcListener: ((vo: PrivateMessageVO) => void) | null = null;
export function onRtc(fn: ((vo: PrivateMessageVO) => void) | null) {
  rtcListener = fn;
}

export async function startSession() {
  const { chat, friend, group, user, config } = stores();
  const me = await user.load();
  await chat.load(me.id);
  await Promise.all([friend.load(), group.load(), config.load()]);
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
