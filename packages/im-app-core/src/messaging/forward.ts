/**
 * Forwarding (POST /message/forward): picking messages, the limits the server keeps, and
 * putting what was sent into the target chats (my other terminals get it pushed).
 */
import type { ChatBook } from '../chats/book';
import type { ImApi } from '../http/api';
import { isNormal, isRecord } from '../model/kinds';
import { fromGroup, fromPrivate } from '../model/convert';
import { ClientStatus } from '../model/status';
import type { Chat, ChatMessage, ChatType } from '../model/types';
import { openGroupChat, openPrivateChat, type Contacts } from '../sync/contacts';

/** What the server accepts in one call. */
export const FORWARD_MAX_MESSAGES = 50;
export const FORWARD_MAX_TARGETS = 10;

/** Sent, not recalled, and a user's message or a chat record (the server refuses tips, calls). */
export function canForward(m: ChatMessage): boolean {
  return m.id !== undefined && m.status !== ClientStatus.RECALL && (isNormal(m.type) || isRecord(m.type));
}

/** Add or remove `id` in a selection; never more than `max`. Returns a new array. */
export function toggleId(ids: readonly number[], id: number, max = FORWARD_MAX_MESSAGES): number[] {
  if (ids.includes(id)) return ids.filter((x) => x !== id);
  return ids.length >= max ? ids.slice() : [...ids, id];
}

export interface ForwardTarget {
  type: ChatType;
  targetId: number;
}

export const targetKey = (t: ForwardTarget): string => `${t.type}-${t.targetId}`;

/** Add or remove a target; never more than the server's limit. Returns a new array. */
export function toggleTarget(list: readonly ForwardTarget[], t: ForwardTarget): ForwardTarget[] {
  const key = targetKey(t);
  if (list.some((x) => targetKey(x) === key)) return list.filter((x) => targetKey(x) !== key);
  return list.length >= FORWARD_MAX_TARGETS ? list.slice() : [...list, t];
}

export interface ForwardDeps {
  api: Pick<ImApi, 'forward'>;
  book: ChatBook;
  contacts: Pick<Contacts, 'friend' | 'group'>;
  me: number;
}

/**
 * Forward messages of `source` (ids, any order: sent oldest first) to `targets`, one by one
 * or merged into one chat record each; the sent messages go into the target chats (opened
 * when not in the list). Returns how many messages were sent.
 */
export async function forwardMessages(
  deps: ForwardDeps,
  source: Pick<Chat, 'type'>,
  ids: readonly number[],
  targets: readonly ForwardTarget[],
  merged: boolean,
): Promise<number> {
  if (ids.length === 0 || targets.length === 0) return 0;
  const result = await deps.api.forward({
    sourceType: source.type,
    messageIds: [...ids].sort((a, b) => a - b),
    merged,
    targets: targets.map((t) => ({ type: t.type, targetId: t.targetId })),
  });
  const { book, contacts, me } = deps;
  for (const vo of result.privateMessages)
    book.insert(openPrivateChat(book, contacts, vo.recvId), [fromPrivate(vo, me)], me, false);
  for (const vo of result.groupMessages)
    book.insert(openGroupChat(book, contacts, vo.groupId), [fromGroup(vo, me)], me, false);
  return result.privateMessages.length + result.groupMessages.length;
}
