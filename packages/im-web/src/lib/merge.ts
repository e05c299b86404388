/**
 * Message merging, pure. Sources: offline pull, buffered live frames, optimistic sends,
 * history pages. Rules: dedupe by id, then by tmpId; ascending id order with unsent
 * (id-less) messages after every sent one in tmpId order; statuses only move up.
 */
import { MessageStatus } from '@box-im/im-common';
import type { ChatMessage } from './types';

const RANK: Record<number, number> = {
  [MessageStatus.FAILED]: 0,
  [MessageStatus.SENDING]: 0,
  [MessageStatus.PENDING]: 1,
  [MessageStatus.DELIVERED]: 2,
  [MessageStatus.READED]: 3,
  [MessageStatus.RECALL]: 4,
};

export function statusRank(status: number): number {
  return RANK[status] ?? 0;
}

/** The higher of two statuses (READED never goes back to DELIVERED; RECALL is final). */
export function upgradeStatus(current: number, incoming: number): number {
  return statusRank(incoming) > statusRank(current) ? incoming : current;
}

/** Combine two versions of the same message. Returns `a` itself when nothing changes. */
export function combine(a: ChatMessage, b: ChatMessage): ChatMessage {
  const status = a.id === undefined && b.id === undefined ? b.status : upgradeStatus(a.status, b.status);
  const id = a.id ?? b.id;
  const readedCount = Math.max(a.readedCount ?? 0, b.readedCount ?? 0);
  const receiptOk = Boolean(a.receiptOk) || Boolean(b.receiptOk);
  // Server content wins over the optimistic one (the server may filter it).
  const content = b.id !== undefined ? b.content : a.content;
  if (
    status === a.status &&
    id === a.id &&
    readedCount === (a.readedCount ?? 0) &&
    receiptOk === Boolean(a.receiptOk) &&
    content === a.content
  ) {
    return a;
  }
  const merged: ChatMessage = { ...a, ...b, id, status, content, readedCount, receiptOk };
  if (b.id === undefined) merged.sendTime = a.sendTime;
  if (!merged.tmpId) merged.tmpId = a.tmpId ?? b.tmpId;
  if (id !== undefined && merged.localUrl && b.id !== undefined) delete merged.localUrl;
  return merged;
}

function compare(a: ChatMessage, b: ChatMessage): number {
  if (a.id !== undefined && b.id !== undefined) return a.id - b.id;
  if (a.id !== undefined) return -1;
  if (b.id !== undefined) return 1;
  return (a.tmpId ?? '').localeCompare(b.tmpId ?? '');
}

/**
 * Merge `incoming` into `existing` and return a new sorted array (or `existing` itself
 * when nothing changed). Fast path: appending strictly newer ids costs O(k).
 */
export function mergeMessages(
  existing: readonly ChatMessage[],
  incoming: readonly ChatMessage[],
): ChatMessage[] {
  if (incoming.length === 0) return existing as ChatMessage[];
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
      if (last && compare(last, m) > 0) needSort = true;
      out.push(m);
      index(m, out.length - 1);
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
  if (!dirty) return existing as ChatMessage[];
  if (needSort) out.sort(compare);
  return out;
}

/** Largest server id in a list (0 when none). */
export function maxId(list: readonly ChatMessage[]): number {
  for (let i = list.length - 1; i >= 0; i--) {
    const id = list[i]!.id;
    if (id !== undefined) return id;
  }
  return 0;
}

let lastTmp = 0;
/** Monotonic client temp id: ms timestamp + 3 digits, never repeating within a page. */
export function newTmpId(now: number = Date.now()): string {
  const candidate = now * 1000 + Math.floor(Math.random() * 1000);
  lastTmp = candidate > lastTmp ? candidate : lastTmp + 1;
  return String(lastTmp);
}
