/**
 * Reply, forward and search on the phone: the little state the pages share (the quote each
 * chat's composer replies to, what the forward page sends) and the calls into the client
 * core, which holds the rules (see packages/im-app-core/src/messaging).
 */
import { ref } from 'vue';
import {
  chatKey,
  forwardMessages,
  hitChat,
  hitMessage,
  loadUntil,
  quoteOf,
  type Chat,
  type ChatMessage,
  type ChatType,
  type ForwardTarget,
  type SearchHit,
} from '@box-im/im-app-core';
import type { QuoteMessageVO } from '@box-im/im-common';
import { api } from './api';
import { contacts, groupChat, privateChat, stores } from './session';

// ---- reply ---------------------------------------------------------------------------------
const replies = ref<Record<string, QuoteMessageVO>>({});

export function startReply(chat: Chat, m: ChatMessage, name: string): void {
  const quote = quoteOf(m, name);
  if (quote) replies.value = { ...replies.value, [chatKey(chat.type, chat.targetId)]: quote };
}

export const replyOf = (chat: Chat): QuoteMessageVO | undefined =>
  replies.value[chatKey(chat.type, chat.targetId)];

export function cancelReply(chat: Chat): void {
  const next = { ...replies.value };
  delete next[chatKey(chat.type, chat.targetId)];
  replies.value = next;
}

// ---- forward -------------------------------------------------------------------------------
export interface PendingForward {
  sourceType: ChatType;
  ids: number[];
  merged: boolean;
}

/** What the forward page sends (set by the chat page before it opens the picker). */
export const pendingForward = ref<PendingForward | null>(null);

export function askForward(chat: Chat, ids: number[], merged: boolean): void {
  if (!ids.length) return;
  pendingForward.value = { sourceType: chat.type, ids: [...ids], merged };
  uni.navigateTo({ url: '/pages/chat/forward' });
}

/** Send the pending forward to `targets`; resolves to how many messages went out. */
export async function forwardPending(targets: ForwardTarget[]): Promise<number> {
  const p = pendingForward.value;
  if (!p) return 0;
  const { chat, user } = stores();
  const n = await forwardMessages(
    { api, book: chat.book, contacts: contacts(), me: user.id() },
    { type: p.sourceType },
    p.ids,
    targets,
    p.merged,
  );
  pendingForward.value = null;
  return n;
}

// ---- history -------------------------------------------------------------------------------
/**
 * Page the chat's history in from the server until message `id` is in the chat (bounded, see
 * the core's `loadUntil`): a search hit, a quoted original. Resolves to whether it is there.
 */
export function loadMessage(chat: Chat, id: number): Promise<boolean> {
  const { chat: store, user } = stores();
  return loadUntil(api, store.book, chat, id, user.id());
}

// ---- search --------------------------------------------------------------------------------
/**
 * Open a hit in its chat: the chat's history is paged in until the hit is there (bounded);
 * if it cannot be reached the hit alone goes in. The chat page scrolls to it and marks it.
 * Resolves to whether it was found in the history.
 */
export async function openHit(hit: SearchHit): Promise<boolean> {
  const { chat: store, user } = stores();
  const me = user.id();
  const c = hitChat(hit, me);
  const chat = c.type === 'GROUP' ? groupChat(c.targetId) : privateChat(c.targetId);
  let found = false;
  try {
    found = await loadMessage(chat, hit.id);
  } finally {
    if (!found) store.book.insert(chat, [hitMessage(hit, me)], me, false);
    uni.navigateTo({ url: `/pages/chat/chat-box?type=${c.type}&id=${c.targetId}&mid=${hit.id}` });
  }
  return found;
}
