/**
 * The bus is the only thing push nodes (im-server) and business services (im-client users)
 * share. It offers the few primitives box-im's cross-node design needs, with Redis
 * semantics: string keys with a time to live (who is online where, locks, call sessions),
 * counters (server ids), FIFO queues (pushes, results, force-logouts) and notices (every
 * subscribed process hears each one: cache invalidations between platform processes).
 *
 * Two implementations with one contract suite (`test/bus.contract.ts`):
 * - `memory/`: one process, the standalone default;
 * - `redis/`: many processes on many machines.
 */
export interface SetOptions {
  /** Time to live in milliseconds; the key disappears after it. Default: no expiry. */
  ttlMs?: number;
  /** Only set the key if it does not exist (SET NX). */
  onlyIfAbsent?: boolean;
}

export interface SwapOptions {
  /** Time to live in milliseconds, as in `SetOptions`. */
  ttlMs?: number;
  /**
   * A notice published in the same step when the value changed (the key held another value
   * or none): after the write, so a subscriber that reads the key on hearing it sees the new
   * value; on Redis the write and the notice are one round trip.
   */
  changeNotice?: { channel: string; message: string };
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

/** Called with each notice published on a subscribed channel. */
export type NoticeHandler = (message: string) => void;

export interface SubscribeOptions {
  /**
   * Told `false` when notices may be missed (the subscriber's connection failed) and `true`
   * once they are heard again (re-subscribed). Notices published in between are lost:
   * whoever caches on the strength of notices must stop trusting the cache while down.
   */
  onLive?: (live: boolean) => void;
}

export interface Subscription {
  /** Whether notices are heard now (see `SubscribeOptions.onLive`). */
  readonly live: boolean;
  /** Stop hearing notices of this subscription. */
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
   * `changeNotice`: published when the value changed (see `SwapOptions`).
   */
  swap(key: string, value: string, options?: SwapOptions): Promise<string | null>;
  /** Give an existing key a new time to live; false if the key does not exist. */
  expire(key: string, ttlMs: number): Promise<boolean>;
  /** Delete a key; true if it existed. */
  del(key: string): Promise<boolean>;
  /**
   * Delete a key only if it still holds `value` (atomic); true if it was deleted.
   * `changeNotice`: published in the same step when the key was deleted (see `SwapOptions`).
   */
  delIfEquals(key: string, value: string, options?: Pick<SwapOptions, 'changeNotice'>): Promise<boolean>;
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
  /**
   * Tell every subscriber of `channel` (in every process, this one included) `message`.
   * At most once, to those subscribed at that moment: nothing is kept for later subscribers.
   */
  publish(channel: string, message: string): Promise<void>;
  /**
   * Hear the notices of `channel` from now on; resolves once subscribed (a notice published
   * after that is heard).
   */
  subscribe(channel: string, handler: NoticeHandler, options?: SubscribeOptions): Promise<Subscription>;
  /** Close connections; stops every consumer and subscription first. */
  close(): Promise<void>;
}
