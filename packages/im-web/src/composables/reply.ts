/** The message each chat's composer replies to (until sent or cancelled). */
import { ref } from 'vue';
import { chatKey, quoteOf, type Chat, type ChatMessage } from '@box-im/im-app-core';
import type { QuoteMessageVO } from '@box-im/im-common';

const replies = ref<Record<string, QuoteMessageVO>>({});

/** Reply to `m` (a sent message) in `chat`; `name` is how the chat shows its sender. */
export function startReply(chat: Chat, m: ChatMessage, name: string): void {
  const quote = quoteOf(m, name);
  if (quote) replies.value = { ...replies.value, [chatKey(chat.type, chat.targetId)]: quote };
}

export function replyOf(chat: Chat): QuoteMessageVO | undefined {
  return replies.value[chatKey(chat.type, chat.targetId)];
}

export function cancelReply(chat: Chat): void {
  const next = { ...replies.value };
  delete next[chatKey(chat.type, chat.targetId)];
  replies.value = next;
}
