/**
 * Forwarding from the UI: pick messages of the open chat (one from its menu, or several in
 * selection mode), pick target chats, send one by one or merged; the sent messages are
 * added to the target chats (my other terminals get them pushed).
 */
import { ref } from 'vue';
import { chatKey, forwardMessages, toggleId, type Chat, type ChatMessage } from '@box-im/im-app-core';
import { api } from '../api';
import { useChatStore } from '../stores/chat';
import { useUserStore } from '../stores/user';
import { contacts } from './chat-open';

/** Selection mode of one chat: the ids picked so far. */
export const selection = ref<{ key: string; ids: number[] } | null>(null);
/** The forward dialog: what it forwards. */
export const pending = ref<{ chat: Chat; ids: number[]; merged: boolean } | null>(null);

export function startSelect(chat: Chat, m: ChatMessage): void {
  selection.value = { key: chatKey(chat.type, chat.targetId), ids: m.id === undefined ? [] : [m.id] };
}

export function selecting(chat: Chat): boolean {
  return selection.value?.key === chatKey(chat.type, chat.targetId);
}

export function toggle(m: ChatMessage): void {
  const s = selection.value;
  if (!s || m.id === undefined) return;
  selection.value = { ...s, ids: toggleId(s.ids, m.id) };
}

export function cancelSelect(): void {
  selection.value = null;
}

/** Open the target picker for these messages. */
export function askForward(chat: Chat, ids: number[], merged: boolean): void {
  if (ids.length > 0) pending.value = { chat, ids: [...ids].sort((a, b) => a - b), merged };
}

/** Send what the dialog holds to the chosen chats. */
export async function forwardTo(targets: Chat[]): Promise<void> {
  const p = pending.value;
  if (!p || targets.length === 0) return;
  const store = useChatStore();
  await forwardMessages(
    { api, book: store.book, contacts: contacts(), me: useUserStore().id() },
    p.chat,
    p.ids,
    targets,
    p.merged,
  );
  pending.value = null;
  selection.value = null;
}
