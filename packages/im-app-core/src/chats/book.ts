/**
 * The chats of the logged-in user and every rule about them: merging messages in, unread and
 * @ markers, the list preview, read receipts, recall, and the cache (written a moment after a
 * change, in pages). All state lives in one plain `ChatState` object the host may make
 * reactive first (Vue: `reactive(createChatState())`); the book only reads and writes through
 * it, so the host's views follow every change.
 */
import { AT_ALL_USER_ID, MessageType } from '@box-im/im-common';
import type { Clock, KvStore, TimerHandle } from '../platform';
import { isNormal, isShown } from '../model/kinds';
import { mergeMessages, mergeWithAdded } from '../model/merge';
import { ClientStatus } from '../model/status';
import {
  chatKey,
  newChat,
  type Chat,
  type ChatMessage,
  type ChatTarget,
  type ChatType,
} from '../model/types';
import { cacheQuota, type CacheLimits } from './limits';
import { ChatPersister, type Unwrap } from './persist';

export interface ChatState {
  /** By `chatKey`. */
  chats: Record<string, Chat>;
  /** The chat open on screen, if any. */
  activeKey: string | null;
  /** An offline pull is running. */
  loading: boolean;
  privateMaxId: number;
  groupMaxId: number;
}

export function createChatState(): ChatState {
  return { chats: {}, activeKey: null, loading: false, privateMaxId: 0, groupMaxId: 0 };
}

export interface ChatBookOptions {
  clock: Clock;
  /** Cache storage. */
  kv: KvStore;
  /** One-line preview for the chat list, in the host's language (see `summarize`). */
  summarize: (m: ChatMessage) => string;
  /** Strips the host's reactive wrappers before the cache compares and writes (Vue: `toRaw`). */
  unwrap?: Unwrap;
  /** Wait after a change before writing the cache. @default 400 */
  saveDelayMs?: number;
  /** Cache only part of the history (small storage); everything when absent. */
  limits?: CacheLimits;
}

/** Pinned chats first, then the most recent. */
export function sortChats(chats: readonly Chat[]): Chat[] {
  return chats.slice().sort((a, b) => Number(b.pinned) - Number(a.pinned) || b.lastSendTime - a.lastSendTime);
}

/** Unread messages over all chats, muted chats left out (the badge). */
export function totalUnread(chats: readonly Chat[]): number {
  return chats.reduce((n, c) => n + (c.isDnd ? 0 : c.unreadCount), 0);
}

export class ChatBook {
  private persister: ChatPersister | null = null;
  private readonly dirty = new Set<string>();
  private saveTimer: TimerHandle = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    readonly state: ChatState,
    private readonly opts: ChatBookOptions,
  ) {}

  get(type: ChatType, targetId: number): Chat | undefined {
    return this.state.chats[chatKey(type, targetId)];
  }

  /** All chats, pinned first, then the most recent. */
  list(): Chat[] {
    return sortChats(Object.values(this.state.chats));
  }

  active(): Chat | null {
    const key = this.state.activeKey;
    return key ? (this.state.chats[key] ?? null) : null;
  }

  activate(key: string | null): void {
    this.state.activeKey = key;
  }

  /** The chat with this peer or group, created when missing; its name and avatar are refreshed. */
  open(type: ChatType, targetId: number, info: ChatTarget): Chat {
    const key = chatKey(type, targetId);
    let chat = this.state.chats[key];
    if (!chat) {
      this.state.chats[key] = newChat(type, targetId, info);
      chat = this.state.chats[key]!;
      this.touch(key);
      return chat;
    }
    chat.showName = info.showName || chat.showName;
    chat.headImage = info.headImage || chat.headImage;
    if (info.isDnd !== undefined && info.isDnd !== null) chat.isDnd = info.isDnd;
    return chat;
  }

  /**
   * Merge messages into a chat; returns those new to it (matched by neither id nor tmpId), which
   * count as unread unless `countUnread` is false (the chat the user is looking at). Arrival
   * order does not matter: a late, lower id counts like any other.
   */
  insert(chat: Chat, incoming: ChatMessage[], me: number, countUnread = true): ChatMessage[] {
    const { list, added: fresh } = mergeWithAdded(chat.messages, incoming);
    if (list === chat.messages) return [];
    chat.messages = list;
    for (const m of fresh) {
      if (m.id !== undefined) this.raiseMaxId(chat.type, m.id);
      if (!isShown(m.type)) continue;
      if (
        countUnread &&
        !m.selfSend &&
        m.status !== ClientStatus.READED &&
        m.type !== MessageType.TIP_TEXT &&
        m.id !== undefined
      ) {
        chat.unreadCount++;
        if (m.atUserIds && m.atUserIds.indexOf(me) >= 0) chat.atMe = true;
        if (m.atUserIds && m.atUserIds.indexOf(AT_ALL_USER_ID) >= 0) chat.atAll = true;
      }
    }
    this.refreshLast(chat);
    this.touch(chatKey(chat.type, chat.targetId));
    return fresh;
  }

  /** Recompute the list preview from the last shown message. */
  refreshLast(chat: Chat): void {
    for (let i = chat.messages.length - 1; i >= 0; i--) {
      const m = chat.messages[i]!;
      if (!isShown(m.type)) continue;
      chat.lastContent = this.opts.summarize(m);
      chat.lastSendTime = m.sendTime;
      chat.sendNickName =
        chat.type === 'GROUP' && isNormal(m.type) && m.status !== ClientStatus.RECALL && !m.selfSend
          ? (m.sendNickName ?? '')
          : '';
      return;
    }
  }

  /** Change one message found by id or tmpId (send result, retry, upload done). */
  patch(chat: Chat, match: { id?: number; tmpId?: string }, change: Partial<ChatMessage>): void {
    const i = chat.messages.findIndex(
      (m) => (match.id !== undefined && m.id === match.id) || (match.tmpId && m.tmpId === match.tmpId),
    );
    if (i < 0) return;
    const next = chat.messages.slice();
    next[i] = { ...next[i]!, ...change };
    // A send result gives the message its id: it may have to move among the sent ones.
    chat.messages = match.tmpId && change.id !== undefined ? mergeMessages([], next) : next;
    this.refreshLast(chat);
    this.touch(chatKey(chat.type, chat.targetId));
  }

  /** Remember that messages up to `id` were seen (e.g. a recall notice), for the next pull. */
  bumpMaxId(type: ChatType, id: number): void {
    this.raiseMaxId(type, id);
    this.touchMeta();
  }

  /** Mark a message recalled (a RECALL notice carries the original id). */
  recall(chat: Chat, originalId: number): void {
    this.patch(chat, { id: originalId }, { status: ClientStatus.RECALL });
    // Replies quoting it show the quote recalled (as box-im's web store does).
    if (!chat.messages.some((m) => m.quoteMessage?.id === originalId)) return;
    chat.messages = chat.messages.map((m) =>
      m.quoteMessage?.id === originalId
        ? { ...m, quoteMessage: { ...m.quoteMessage, status: ClientStatus.RECALL, content: '' } }
        : m,
    );
    this.touch(chatKey(chat.type, chat.targetId));
  }

  /** The peer read my messages up to `upTo` (private receipt, or a message from the peer). */
  markPeerRead(chat: Chat, upTo = Number.MAX_SAFE_INTEGER): void {
    let changed = false;
    const next = chat.messages.map((m) => {
      if (
        m.selfSend &&
        m.id !== undefined &&
        m.id <= upTo &&
        (m.status === ClientStatus.PENDING || m.status === ClientStatus.DELIVERED)
      ) {
        changed = true;
        return { ...m, status: ClientStatus.READED };
      }
      return m;
    });
    if (changed) {
      chat.messages = next;
      this.touch(chatKey(chat.type, chat.targetId));
    }
  }

  resetUnread(chat: Chat): void {
    if (chat.unreadCount === 0 && !chat.atMe && !chat.atAll) return;
    chat.unreadCount = 0;
    chat.atMe = false;
    chat.atAll = false;
    this.touch(chatKey(chat.type, chat.targetId));
  }

  /** Delete one message on this device only. */
  removeMessage(chat: Chat, m: ChatMessage): void {
    chat.messages = chat.messages.filter(
      (x) => x !== m && !(m.id !== undefined && x.id === m.id) && !(m.tmpId && x.tmpId === m.tmpId),
    );
    this.refreshLast(chat);
    this.touch(chatKey(chat.type, chat.targetId));
  }

  /** Delete a chat on this device only (it comes back with the next message). */
  remove(key: string): void {
    delete this.state.chats[key];
    if (this.state.activeKey === key) this.state.activeKey = null;
    this.dirty.delete(key);
    void this.persister?.removeChat(key);
    this.touchMeta();
  }

  setPinned(chat: Chat, pinned: boolean): void {
    chat.pinned = pinned;
    this.touch(chatKey(chat.type, chat.targetId));
  }

  setDraft(chat: Chat, draft: string): void {
    if ((chat.draft ?? '') === draft) return;
    chat.draft = draft;
    this.touch(chatKey(chat.type, chat.targetId));
  }

  setDnd(type: ChatType, targetId: number, isDnd: boolean): void {
    const chat = this.get(type, targetId);
    if (!chat) return;
    chat.isDnd = isDnd;
    this.touch(chatKey(type, targetId));
  }

  /** Write every pending change to the cache now. */
  flush(): Promise<void> {
    if (this.saveTimer !== null) this.opts.clock.clearTimeout(this.saveTimer);
    this.saveTimer = null;
    const run = this.flushing.then(() => this.write());
    this.flushing = run.catch(() => undefined);
    return run;
  }

  /** Show the cached chats of `userId` (replaces what is in memory). */
  async load(userId: number, kv: KvStore = this.opts.kv): Promise<void> {
    this.persister = new ChatPersister(kv, userId, this.opts.unwrap);
    const { meta, chats } = await this.persister.load();
    this.state.privateMaxId = meta?.privateMaxId ?? 0;
    this.state.groupMaxId = meta?.groupMaxId ?? 0;
    const next: Record<string, Chat> = {};
    for (const chat of chats) next[chatKey(chat.type, chat.targetId)] = chat;
    this.state.chats = next;
  }

  /** Forget everything in memory (logout); the cache stays for the next login. */
  clear(): void {
    if (this.saveTimer !== null) this.opts.clock.clearTimeout(this.saveTimer);
    this.saveTimer = null;
    this.state.chats = {};
    this.state.activeKey = null;
    this.state.loading = false;
    this.state.privateMaxId = 0;
    this.state.groupMaxId = 0;
    this.persister = null;
    this.dirty.clear();
  }

  private raiseMaxId(type: ChatType, id: number): void {
    if (type === 'PRIVATE') {
      if (id > this.state.privateMaxId) this.state.privateMaxId = id;
    } else if (id > this.state.groupMaxId) this.state.groupMaxId = id;
  }

  private touch(key: string): void {
    this.dirty.add(key);
    this.schedule();
  }

  private touchMeta(): void {
    this.schedule();
  }

  private schedule(): void {
    if (this.saveTimer !== null) return;
    this.saveTimer = this.opts.clock.setTimeout(() => {
      this.saveTimer = null;
      void this.flush();
    }, this.opts.saveDelayMs ?? 400);
  }

  private async write(): Promise<void> {
    const persister = this.persister;
    if (!persister) return;
    const keys = Array.from(this.dirty);
    this.dirty.clear();
    const chats = this.state.chats;
    const quota = this.opts.limits ? cacheQuota(Object.values(chats), this.opts.limits) : null;
    for (const key of keys) {
      const chat = chats[key];
      if (chat) await persister.writeChat(key, chat, quota?.get(key));
    }
    if (quota) {
      // Newer chats may have pushed older ones over the total: shrink those too.
      for (const [key, keep] of quota) {
        const chat = chats[key];
        if (chat && keys.indexOf(key) < 0 && persister.cachedCount(key) > keep)
          await persister.writeChat(key, chat, keep);
      }
    }
    await persister.writeMeta({
      privateMaxId: this.state.privateMaxId,
      groupMaxId: this.state.groupMaxId,
      keys: Object.keys(chats),
    });
  }
}
