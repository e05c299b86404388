/**
 * Bringing one message of a chat into the list (a search hit, a quoted original): page back
 * through the server's history until it is there, a bounded number of pages.
 */
import type { ChatBook } from '../chats/book';
import type { ImApi } from '../http/api';
import { fromGroup, fromPrivate } from '../model/convert';
import type { Chat, ChatMessage } from '../model/types';

export type HistoryApi = Pick<ImApi, 'historyPrivate' | 'historyGroup'>;

export interface LoadUntilOptions {
  /** Messages per history page. @default 50 */
  size?: number;
  /** Give up after this many pages. @default 10 */
  maxPages?: number;
}

export const hasMessage = (chat: Chat, id: number): boolean => chat.messages.some((m) => m.id === id);

/**
 * Page the chat's history (newest first) into the book until message `id` is in the chat,
 * a page reaches back past it, the history ends, or `maxPages` pages were read. Resolves to
 * whether the message is in the chat now.
 */
export async function loadUntil(
  api: HistoryApi,
  book: ChatBook,
  chat: Chat,
  id: number,
  me: number,
  opts: LoadUntilOptions = {},
): Promise<boolean> {
  const size = opts.size ?? 50;
  const maxPages = opts.maxPages ?? 10;
  for (let page = 1; page <= maxPages && !hasMessage(chat, id); page++) {
    const list: ChatMessage[] =
      chat.type === 'PRIVATE'
        ? (await api.historyPrivate(chat.targetId, page, size)).map((v) => fromPrivate(v, me))
        : (await api.historyGroup(chat.targetId, page, size)).map((v) => fromGroup(v, me));
    if (list.length) book.insert(chat, list, me, false);
    const oldest = list.reduce((n, m) => Math.min(n, m.id ?? n), Number.MAX_SAFE_INTEGER);
    if (list.length < size || oldest <= id) break;
  }
  return hasMessage(chat, id);
}

/** How many of the newest messages a list must show for message `id` to be in it (0: absent). */
export function shownCountFor(chat: Chat, id: number): number {
  const i = chat.messages.findIndex((m) => m.id === id);
  return i < 0 ? 0 : chat.messages.length - i;
}
