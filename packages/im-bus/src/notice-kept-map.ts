import type { Bus, Subscription } from './bus';

export interface NoticeKeptMapOptions {
  /** The channel whose notices keep the answers current (see `onNotice`, `publish`). */
  channel: string;
  /**
   * What a notice heard on `channel` (published by any process, this one included) means to
   * the owner: typically `forget` or `set` of the key it names.
   */
  onNotice: (message: string) => void;
  /** Keys remembered; the longest remembered are dropped beyond. */
  maxEntries: number;
  /**
   * A remembered answer is read again after this long: the bound on a change no notice told
   * of (a writer that does not announce; a notice lost on a silently dead connection).
   */
  maxAgeMs: number;
  /** Where the age is measured, in epoch ms. @default Date.now */
  now?: () => number;
}

interface Entry<V> {
  value: V;
  at: number;
}

/**
 * Answers read from a store, remembered per key only while they can be kept current by the
 * notices of one bus channel. While the subscription is not live (not started, failed, or its
 * connection down) nothing is remembered and every `get` reads; when it comes back, what was
 * remembered is forgotten, since notices may have been missed. A read that began before a
 * change (`set`, `forget`, a liveness change) does not store its answer, which may be stale.
 * Bounded in size (oldest dropped) and age (`maxAgeMs`).
 */
export class NoticeKeptMap<K, V> {
  private readonly entries = new Map<K, Entry<V>>();
  private readonly now: () => number;
  private subscription: Subscription | undefined;
  private trusted = false;
  /** Bumped by every change and liveness change: a read begun before is not remembered. */
  private generation = 0;

  constructor(
    private readonly bus: Bus,
    private readonly options: NoticeKeptMapOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  /** Hear the notices; until then (and if it fails) every `get` reads. */
  async start(): Promise<void> {
    this.subscription = await this.bus.subscribe(this.options.channel, (m) => this.options.onNotice(m), {
      onLive: (live) => this.setTrusted(live),
    });
    this.setTrusted(this.subscription.live);
  }

  async stop(): Promise<void> {
    this.setTrusted(false);
    await this.subscription?.stop();
    this.subscription = undefined;
  }

  /** Whether answers are remembered (the notices are heard). */
  get caching(): boolean {
    return this.trusted;
  }

  /** Number of keys remembered. */
  get size(): number {
    return this.entries.size;
  }

  /** The remembered answer for `key` (wrapped, as it may itself be undefined), if any is fresh. */
  peek(key: K): { value: V } | undefined {
    const entry = this.fresh(key);
    return entry && { value: entry.value };
  }

  /** The remembered answer for `key`, or `read()`'s (then remembered, unless changed meanwhile). */
  async get(key: K, read: () => Promise<V>): Promise<V> {
    const kept = this.fresh(key);
    if (kept) return kept.value;
    const generation = this.generation;
    const value = await read();
    if (this.trusted && generation === this.generation) this.put(key, value);
    return value;
  }

  /** A newer answer for `key` is known (written here, or announced): remembered if trusted. */
  set(key: K, value: V): void {
    this.generation++;
    if (this.trusted) this.put(key, value);
  }

  /** The answer for `key` changed: forgotten, and no read already under way stores it. */
  forget(key: K): void {
    this.generation++;
    this.entries.delete(key);
  }

  /** Announce `message` on the channel to every process (this one included). */
  publish(message: string): Promise<void> {
    return this.bus.publish(this.options.channel, message);
  }

  /** The entry of `key` if it is trusted and younger than `maxAgeMs` (the hot path: no copy). */
  private fresh(key: K): Entry<V> | undefined {
    const entry = this.trusted ? this.entries.get(key) : undefined;
    return entry && this.now() - entry.at < this.options.maxAgeMs ? entry : undefined;
  }

  private put(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, { value, at: this.now() });
    // Map order is insertion order: the first keys are the longest remembered.
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.options.maxEntries) break;
      this.entries.delete(oldest);
    }
  }

  private setTrusted(live: boolean): void {
    if (live === this.trusted) return;
    this.generation++;
    this.entries.clear();
    this.trusted = live;
  }
}
