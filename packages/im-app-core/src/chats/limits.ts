/**
 * How much of the chat history a device caches. IndexedDB (web) holds everything; a
 * mini-program or app storage (a few MB) does not, so there the newest chats keep their
 * newest messages up to a budget, as box-im's app does (≤500 per chat, ≤3000 in all).
 */
import { chatKey, type Chat } from '../model/types';

export interface CacheLimits {
  /** Messages cached per chat. */
  perChat: number;
  /** Messages cached over all chats. */
  total: number;
}

/** box-im's app limits on platforms with small storage (H5, mini-program). */
export const SMALL_STORAGE_LIMITS: CacheLimits = { perChat: 500, total: 3000 };

/** Per chat key, how many of its newest messages to cache: recent chats are served first. */
export function cacheQuota(chats: readonly Chat[], limits: CacheLimits): Map<string, number> {
  const quota = new Map<string, number>();
  let left = limits.total;
  const byRecent = chats.slice().sort((a, b) => b.lastSendTime - a.lastSendTime);
  for (const chat of byRecent) {
    const keep = Math.min(chat.messages.length, limits.perChat, left);
    quota.set(chatKey(chat.type, chat.targetId), keep);
    left -= keep;
  }
  return quota;
}
