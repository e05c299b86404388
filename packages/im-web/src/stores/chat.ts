/** Chats and their messages; persisted to IndexedDB so reopening is instant. */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { AT_ALL_USER_ID, MessageStatus, MessageType } from '@box-im/im-common';
import { chatKey, type Chat, type ChatMessage, type ChatType } from '../lib/types';
import { maxId, mergeMessages } from '../lib/merge';
import { isNormal, isShown, summary } from '../lib/summary';
import { defaultStore, type KvStore } from '../lib/cache';
import { ChatPersister } from './chat-persist';

export interface ChatTarget {
  showName: string;
  headImage: string;
  isDnd?: boolean | null;
}

export function newChat(type: ChatType, targetId: number, info: ChatTarget): Chat {
  return {
    type,
    targetId,
    showName: info.showName,
    headImage: info.headImage,
    isDnd: Boolean(info.isDnd),
    lastContent: '',
    lastSendTime: 0,
    sendNickName: '',
    unreadCount: 0,
    atMe: false,
    atAll: false,
    pinned: false,
    messages: [],
  };
}

export const useChatStore = defineStore('chat', () => {
  const chats = ref<Record<string, Chat>>({});
  const activeKey = ref<string | null>(null);
  const loading = ref(false);
  /** Whether the chat screen is on display (not the friend or group screen). */
  const viewing = ref(false);
  const privateMaxId = ref(0);
  const groupMaxId = ref(0);
  let kv: KvStore = defaultStore();
  let persister: ChatPersister | null = null;
  const dirty = new Set<string>();
  let saveTimer: ReturnType<typeof setTimeout> | null = null;

  const list = computed(() =>
    Object.values(chats.value).sort(
      (a, b) => Number(b.pinned) - Number(a.pinned) || b.lastSendTime - a.lastSendTime,
    ),
  );
  const active = computed(() => (activeKey.value ? (chats.value[activeKey.value] ?? null) : null));
  const totalUnread = computed(() =>
    Object.values(chats.value).reduce((n, c) => n + (c.isDnd ? 0 : c.unreadCount), 0),
  );

  const get = (type: ChatType, id: number) => chats.value[chatKey(type, id)];

  function touch(key: string) {
    dirty.add(key);
    if (saveTimer) return;
    saveTimer = setTimeout(() => void flush(), 400);
  }

  function open(type: ChatType, targetId: number, info: ChatTarget): Chat {
    const key = chatKey(type, targetId);
    let chat = chats.value[key];
    if (!chat) {
      chats.value[key] = newChat(type, targetId, info);
      chat = chats.value[key]!;
      touch(key);
    } else {
      Object.assign(chat, {
        showName: info.showName || chat.showName,
        headImage: info.headImage || chat.headImage,
      });
      if (info.isDnd !== undefined && info.isDnd !== null) chat.isDnd = info.isDnd;
    }
    return chat;
  }

  function activate(key: string | null) {
    activeKey.value = key;
  }

  /**
   * Merge messages into a chat. Returns how many of them are new to the list.
   * `countUnread` is false for the chat the user is looking at.
   */
  function insert(chat: Chat, incoming: ChatMessage[], me: number, countUnread = true): ChatMessage[] {
    const before = maxId(chat.messages);
    const merged = mergeMessages(chat.messages, incoming);
    if (merged === chat.messages) return [];
    chat.messages = merged;
    const fresh = incoming.filter((m) => m.id === undefined || m.id > before);
    for (const m of fresh) {
      if (m.id !== undefined) {
        if (chat.type === 'PRIVATE') privateMaxId.value = Math.max(privateMaxId.value, m.id);
        else groupMaxId.value = Math.max(groupMaxId.value, m.id);
      }
      if (!isShown(m.type)) continue;
      if (
        countUnread &&
        !m.selfSend &&
        m.status !== MessageStatus.READED &&
        m.type !== MessageType.TIP_TEXT &&
        m.id !== undefined
      ) {
        chat.unreadCount++;
        if (m.atUserIds?.includes(me)) chat.atMe = true;
        if (m.atUserIds?.includes(AT_ALL_USER_ID)) chat.atAll = true;
      }
    }
    refreshLast(chat);
    touch(chatKey(chat.type, chat.targetId));
    return fresh;
  }

  function refreshLast(chat: Chat) {
    for (let i = chat.messages.length - 1; i >= 0; i--) {
      const m = chat.messages[i]!;
      if (!isShown(m.type)) continue;
      chat.lastContent = summary(m);
      chat.lastSendTime = m.sendTime;
      chat.sendNickName =
        chat.type === 'GROUP' && isNormal(m.type) && m.status !== MessageStatus.RECALL && !m.selfSend
          ? (m.sendNickName ?? '')
          : '';
      return;
    }
  }

  /** Apply a patch to one message found by id or tmpId (e.g. send result, retry). */
  function patch(chat: Chat, match: { id?: number; tmpId?: string }, p: Partial<ChatMessage>) {
    const i = chat.messages.findIndex(
      (m) => (match.id !== undefined && m.id === match.id) || (match.tmpId && m.tmpId === match.tmpId),
    );
    if (i < 0) return;
    const next = chat.messages.slice();
    next[i] = { ...next[i]!, ...p };
    chat.messages = match.tmpId && p.id !== undefined ? mergeMessages([], next) : next;
    refreshLast(chat);
    touch(chatKey(chat.type, chat.targetId));
  }

  function bumpMaxId(type: ChatType, id: number) {
    if (type === 'PRIVATE') privateMaxId.value = Math.max(privateMaxId.value, id);
    else groupMaxId.value = Math.max(groupMaxId.value, id);
    touch('__meta');
  }

  /** Mark a message recalled (RECALL frame content = original id). */
  function recall(chat: Chat, originalId: number) {
    patch(chat, { id: originalId }, { status: MessageStatus.RECALL });
  }

  /** The peer read everything up to `upTo` (private receipt / maxReadedId). */
  function markPeerRead(chat: Chat, upTo = Number.MAX_SAFE_INTEGER) {
    let changed = false;
    const next = chat.messages.map((m) => {
      if (
        m.selfSend &&
        m.id !== undefined &&
        m.id <= upTo &&
        (m.status === MessageStatus.PENDING || m.status === MessageStatus.DELIVERED)
      ) {
        changed = true;
        return { ...m, status: MessageStatus.READED };
      }
      return m;
    });
    if (changed) {
      chat.messages = next;
      touch(chatKey(chat.type, chat.targetId));
    }
  }

  function resetUnread(chat: Chat) {
    if (chat.unreadCount === 0 && !chat.atMe && !chat.atAll) return;
    chat.unreadCount = 0;
    chat.atMe = false;
    chat.atAll = false;
    touch(chatKey(chat.type, chat.targetId));
  }

  function removeMessage(chat: Chat, m: ChatMessage) {
    chat.messages = chat.messages.filter(
      (x) => x !== m && !(m.id !== undefined && x.id === m.id) && !(m.tmpId && x.tmpId === m.tmpId),
    );
    refreshLast(chat);
    touch(chatKey(chat.type, chat.targetId));
  }

  function remove(key: string) {
    delete chats.value[key];
    if (activeKey.value === key) activeKey.value = null;
    void persister?.removeChat(key);
    touch('__meta');
  }

  function setPinned(chat: Chat, pinned: boolean) {
    chat.pinned = pinned;
    touch(chatKey(chat.type, chat.targetId));
  }
  function setDnd(type: ChatType, id: number, isDnd: boolean) {
    const c = get(type, id);
    if (c) {
      c.isDnd = isDnd;
      touch(chatKey(type, id));
    }
  }

  async function flush() {
    if (saveTimer) clearTimeout(saveTimer);
    saveTimer = null;
    if (!persister) return;
    const keys = [...dirty];
    dirty.clear();
    for (const key of keys) {
      const chat = chats.value[key];
      if (chat) await persister.writeChat(key, chat);
    }
    await persister.writeMeta({
      privateMaxId: privateMaxId.value,
      groupMaxId: groupMaxId.value,
      keys: Object.keys(chats.value),
    });
  }

  async function load(userId: number, store?: KvStore) {
    if (store) kv = store;
    persister = new ChatPersister(kv, userId);
    const { meta, chats: loaded } = await persister.load();
    privateMaxId.value = meta?.privateMaxId ?? 0;
    groupMaxId.value = meta?.groupMaxId ?? 0;
    const next: Record<string, Chat> = {};
    for (const chat of loaded) next[chatKey(chat.type, chat.targetId)] = chat;
    chats.value = next;
  }

  function clear() {
    chats.value = {};
    activeKey.value = null;
    privateMaxId.value = 0;
    groupMaxId.value = 0;
    persister = null;
    dirty.clear();
  }

  return {
    chats,
    list,
    active,
    activeKey,
    loading,
    viewing,
    privateMaxId,
    groupMaxId,
    totalUnread,
    get,
    open,
    activate,
    insert,
    patch,
    recall,
    markPeerRead,
    resetUnread,
    removeMessage,
    remove,
    setPinned,
    setDnd,
    flush,
    bumpMaxId,
    load,
    clear,
    refreshLast,
  };
});
