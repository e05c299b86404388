/**
 * Chats and their messages: the client core's `ChatBook` over reactive state, so every rule
 * (merge, unread, previews, receipts, cache) is the core's and the views follow its changes.
 */
import { defineStore } from 'pinia';
import { computed, markRaw, reactive, ref, toRaw, toRefs } from 'vue';
import {
  ChatBook,
  createChatState,
  sortChats,
  saveDraft,
  savePinned,
  totalUnread as countUnread,
  type Chat,
  type ChatMessage,
  type ChatTarget,
  type ChatType,
  type KvStore,
} from '@box-im/im-app-core';
import { api } from '../api';
import { defaultStore } from '../lib/cache';
import { summary } from '../lib/summary';
import { browserClock } from '../platform';

export const useChatStore = defineStore('chat', () => {
  const state = reactive(createChatState());
  const book = markRaw(
    new ChatBook(state, { clock: browserClock, kv: defaultStore(), summarize: summary, unwrap: toRaw }),
  );
  /** Whether the chat screen is on display (not the friend or group screen). */
  const viewing = ref(false);

  const list = computed(() => sortChats(Object.values(state.chats)));
  const active = computed(() => (state.activeKey ? (state.chats[state.activeKey] ?? null) : null));
  const totalUnread = computed(() => countUnread(Object.values(state.chats)));

  return {
    ...toRefs(state),
    book,
    viewing,
    list,
    active,
    totalUnread,
    get: (type: ChatType, id: number) => book.get(type, id),
    open: (type: ChatType, id: number, info: ChatTarget) => book.open(type, id, info),
    activate: (key: string | null) => book.activate(key),
    insert: (chat: Chat, incoming: ChatMessage[], me: number, countUnread = true) =>
      book.insert(chat, incoming, me, countUnread),
    recall: (chat: Chat, originalId: number) => book.recall(chat, originalId),
    markPeerRead: (chat: Chat, upTo?: number) => book.markPeerRead(chat, upTo),
    removeMessage: (chat: Chat, m: ChatMessage) => book.removeMessage(chat, m),
    remove: (key: string) => book.remove(key),
    /** Pin / unpin here and on my other terminals. */
    setPinned: (chat: Chat, pinned: boolean) => savePinned(book, api, chat, pinned),
    /** What I typed but did not send, here and on my other terminals. */
    setDraft: (chat: Chat, draft: string) => saveDraft(book, api, chat, draft),
    setDnd: (type: ChatType, id: number, isDnd: boolean) => book.setDnd(type, id, isDnd),
    flush: () => book.flush(),
    load: (userId: number, kv?: KvStore) => book.load(userId, kv),
    clear: () => book.clear(),
  };
});
