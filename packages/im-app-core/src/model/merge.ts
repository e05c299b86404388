/**
 * Message merging, pure. Sources: offline pull, buffered live frames, optimistic sends,
 * echoes from my other terminals, history pages. Rules: dedupe by id, then by tmpId;
 * ascending id order with unsent (id-less) messages after every sent one in tmpId order;
 * statuses only move up (READED never goes back to DELIVERED, RECALL is final).
 */
import { ClientStatus } from './status';
import type { ChatMessage } from './types';

const RANK: Record<number, number> = {
  [ClientStatus.FAILED]: 0,
  [ClientStatus.SENDING]: 0,
  [ClientStatus.PENDING]: 1,
  [ClientStatus.DELIVERED]: 2,
  [ClientStatus.READED]: 3,
  [ClientStatus.RECALL]: 4,
};

export function statusRank(status: number): number {
  return RANK[status] ?? 0;
}

/** The higher of two statuses. */
export function upgradeStatus(current: number, incoming: number): number {
  return statusRank(incoming) > statusRank(current) ? incoming : current;
}

/** A quote's recall is final, like a message's: the recalled version wins. */
function pickQuote(a: ChatMessage['quoteMessage'], b: ChatMessage['quoteMessage']) {
  if (a?.status === ClientStatus.RECALL) return a;
  if (b?.status === ClientStatus.RECALL) return b;
  return a ?? b;
}

/** Combine two versions of the same message. Returns `a` itself when nothing changes. */
export function combine(a: ChatMessage, b: ChatMessage): ChatMessage {
  const status = a.id === undefined && b.id === undefined ? b.status : upgradeStatus(a.status, b.status);
  const id = a.id ?? b.id;
  const readedCount = Math.max(a.readedCount ?? 0, b.readedCount ?? 0);
  const receiptOk = Boolean(a.receiptOk) || Boolean(b.receiptOk);
  // Server content wins over the optimistic one (the server may filter it).
  const content = b.id !== undefined ? b.content : a.content;
  const quoteMessage = pickQuote(a.quoteMessage, b.quoteMessage);
  if (
    quoteMessage === a.quoteMessage &&
    status === a.status &&
    id === a.id &&
    readedCount === (a.readedCount ?? 0) &&
    receiptOk === Boolean(a.receiptOk) &&
    content === a.content
  ) {
    return a;
  }
  const merged: ChatMessage = { ...a, ...b, id, status, content, readedCount, receiptOk };
  if (quoteMessage) merged.quoteMessage = quoteMessage;
  if (b.id === undefined) merged.sendTime = a.sendTime;
  if (!merged.tmpId) merged.tmpId = a.tmpId ?? b.tmpId;
  if (id !== undefined && merged.localUrl && b.id !== undefined) delete merged.localUrl;
  return merged;
}

/** List order: server ids ascending, then unsent messages by tmpId. */
export function compareMessages(a: ChatMessage, b: ChatMessage): number {
  if (a.id !== undefined && b.id !== undefined) return a.id - b.id;
  if (a.id !== undefined) return -1;
  if (b.id !== undefined) return 1;
  const x = a.tmpId ?? '';
  const y = b.tmpId ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}

export interface MergeResult {
  /** The merged list, or `existing` itself when nothing changed. */
  list: ChatMessage[];
  /** The incoming messages that matched nothing already there (by id or tmpId). */
  added: ChatMessage[];
}

/**
 * Merge `incoming` into `existing` and return a new sorted array (or `existing` itself
 * when nothing changed), with the messages that were new to it.
 * Fast path: appending strictly newer ids costs O(k) besides indexing.
 */
export function mergeWithAdded(
  existing: readonly ChatMessage[],
  incoming: readonly ChatMessage[],
): MergeResult {
  const added: ChatMessage[] = [];
  if (incoming.length === 0) return { list: existing as ChatMessage[], added };
  const byId = new Map<number, number>();
  const byTmp = new Map<string, number>();
  const out = existing.slice();
  let dirty = false;
  let needSort = false;
  const indexOf = (m: ChatMessage): number | undefined => {
    if (m.id !== undefined) {
      const i = byId.get(m.id);
      if (i !== undefined) return i;
    }
    if (m.tmpId) return byTmp.get(m.tmpId);
    return undefined;
  };
  const index = (m: ChatMessage, i: number) => {
    if (m.id !== undefined) byId.set(m.id, i);
    if (m.tmpId) byTmp.set(m.tmpId, i);
  };
  out.forEach(index);
  for (const m of incoming) {
    const i = indexOf(m);
    if (i === undefined) {
      const last = out[out.length - 1];
      if (last && compareMessages(last, m) > 0) needSort = true;
      out.push(m);
      index(m, out.length - 1);
      added.push(m);
      dirty = true;
      continue;
    }
    const prev = out[i]!;
    const next = combine(prev, m);
    if (next !== prev) {
      if (prev.id === undefined && next.id !== undefined) needSort = true;
      out[i] = next;
      index(next, i);
      dirty = true;
    }
  }
  if (!dirty) return { list: existing as ChatMessage[], added };
  if (needSort) out.sort(compareMessages);
  return { list: out, added };
}

/** `mergeWithAdded` when only the list matters. */
export function mergeMessages(
  existing: readonly ChatMessage[],
  incoming: readonly ChatMessage[],
): ChatMessage[] {
  return mergeWithAdded(existing, incoming).list;
}

/** Largest server id in a list (0 when none). */
export function maxId(list: readonly ChatMessage[]): number {
  for (let i = list.length - 1; i >= 0; i--) {
    const id = list[i]!.id;
    if (id !== undefined) return id;
  }
  return 0;
}
