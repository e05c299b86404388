/**
 * The bus is the only thing push nodes (im-server) and business services (im-client users)
 * share. It offers the few primitives box-im's cross-node design needs, with Redis
 * semantics: string keys with a time to live (who is online where, locks, call sessions),
 * counters (server ids) and FIFO queues (pushes, results, force-logouts).
 *
 * Two implementations with one contract suite (`test/bus.contract.ts`):
 * - `memory/`: one process, the standalone default;
 * - `redis/`: many processes on many machines.
 */
import type { NoticeHandler, NoticeOptions, NoticeSubscription } from './notices';

export interface SetOptions {
  /** Time to live in milliseconds; the key disappears after it. Default: no expiry. */
  ttlMs?: number;
  /** Only set the key if it does not exist (SET NX). */
  onlyIfAbsent?: boolean;
}

export interface ConsumeOptions {
  /** Max items handed to the handler at once. @default 100 */
  batchSize?: number;
  /** Called when the handler throws; the items of that batch are dropped. */
  onError?: (error: unknown, queue: string) => void;
}

/** Called with items of one queue, in the order they were pushed. */
export type QueueHandler = (queue: string, items: string[]) => Promise<void> | void;

export interface Consumer {
  /** Stop taking items; resolves once the handler in flight (if any) has finished. */
  stop(): Promise<void>;
}

export interface Bus {
  readonly kind: 'memory' | 'redis';
  /**
   * Add `by` (default 1) to a counter and return its new value (the first call returns `by`).
   * A key's time to live is kept.
   */
  incr(key: string, by?: number): Promise<number>;
  get(key: string): Promise<string | null>;
  /** Values of many keys in one round trip, in the order asked. */
  mget(keys: readonly string[]): Promise<(string | null)[]>;
  /** Set a key; returns false only when `onlyIfAbsent` was asked and the key existed. */
  set(key: string, value: string, options?: SetOptions): Promise<boolean>;
  /**
   * Set a key and return the value it held before, in one atomic step (`SET … GET`): of
   * many concurrent swaps, each sees the value of exactly one other (or null, once).
   */
  swap(key: string, value: string, options?: Pick<SetOptions, 'ttlMs'>): Promise<string | null>;
  /** Give an existing key a new time to live; false if the key does not exist. */
  expire(key: string, ttlMs: number): Promise<boolean>;
  /** Delete a key; true if it existed. */
  del(key: string): Promise<boolean>;
  /** Delete a key only if it still holds `value` (atomic); true if it was deleted. */
  delIfEquals(key: string, value: string): Promise<boolean>;
  /** Renew a key's time to live only if it still holds `value` (atomic). */
  expireIfEquals(key: string, value: string, ttlMs: number): Promise<boolean>;
  /** Append items to the tail of a queue. */
  push(queue: string, items: readonly string[]): Promise<void>;
  /** Number of items waiting in a queue. */
  length(queue: string): Promise<number>;
  /**
   * Take items from the heads of `queues` as soon as they are pushed (no polling period),
   * one batch at a time per queue. Each item is handed to exactly one consumer. (On a Redis
   * Cluster, queues in different slots are waited on separately, so batches of two queues
   * may be handled at the same time.)
   */
  consume(queues: readonly string[], handler: QueueHandler, options?: ConsumeOptions): Consumer;
  /** Send a notice to the current subscribers of `channel` (see `notices.ts`: at most once, not stored). */
  publish(channel: string, message: string): Promise<void>;
  /** Receive the notices of `channel` published from now on (resolves once subscribed). */
  subscribe(channel: string, handler: NoticeHandler, options?: NoticeOptions): Promise<NoticeSubscription>;
  /** Close connections; stops every consumer first. */
  close(): Promise<void>;
}
