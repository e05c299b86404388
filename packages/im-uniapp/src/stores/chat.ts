/**
 * Chats and messages: the client core's `ChatBook` over reactive state (merge, unread,
 * previews, receipts, recall, the per-user cache on uni storage, trimmed as box-im's app does).
 */
import { defineStore } from 'pinia';
import { computed, markRaw, reactive, ref, toRaw } from 'vue';
import {
  ChatBook,
  createChatState,
  SMALL_STORAGE_LIMITS,
  sortChats,
  totalUnread as countUnread,
} from '@box-im/im-app-core';
import { summary } from '../lib/format';
import { uniClock, uniKv } from '../platform';

export const useChatStore = defineStore('chat', () => {
  const state = reactive(createChatState());
  // uni's conditional compilation drops the reassignment outside the app, which ESLint cannot see.
  // eslint-disable-next-line no-useless-assignment
  let limits: typeof SMALL_STORAGE_LIMITS | undefined = SMALL_STORAGE_LIMITS;
  // #ifdef APP-PLUS
  limits = undefined;
  // #endif
  const book = markRaw(
    new ChatBook(state, { clock: uniClock, kv: uniKv, summarize: summary, unwrap: toRaw, limits }),
  );
  /** The chat page is on screen (set by the page's onShow / onHide). */
  const viewing = ref(false);
  /** The app is in the foreground. */
  const foreground = ref(true);

  const list = computed(() => sortChats(Object.values(state.chats)));
  const active = computed(() => (state.activeKey ? (state.chats[state.activeKey] ?? null) : null));
  const totalUnread = computed(() => countUnread(Object.values(state.chats)));

  return { state, book, viewing, foreground, list, active, totalUnread };
});
