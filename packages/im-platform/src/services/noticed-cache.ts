import type { Bus, Subscription } from '@box-im/im-bus';
import type { Clock } from '../clock';

export interface NoticedCacheOptions {
  /** Keys remembered; the longest remembered are dropped beyond. */
  maxEntries: number;
  /**
   * A remembered answer is read again after this long: the bound on a change no notice told
   * of (a writer that does not announce, e.g. box-im's own nodes; a notice lost on a dead
   * connection).
   */
  maxAgeMs: number;
}

interface Entry<V> {
  value: V;
  at: number;
}

/**
 * Answers read from the database, remembered per key for a short while and kept correct by
 * invalidation: every write of what they depend on calls `changed(key)`, which forgets the key
 * here at once and publishes it on `channel`, so every other platform process forgets it too.
 * While the notices cannot be trusted (subscription down or not started) nothing is
 * remembered, and what was remembered is forgotten when they come back, since some may have
 * been missed. A read that began before a change is not remembered.
 */
export class NoticedCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private subscription: Subscription | undefined;
  private trusted = false;
  /** Bumped by every change and liveness change: a read begun before is not remembered. */
  private generation = 0;

  constructor(
    private readonly deps: { bus: Bus; clock: Clock; channel: string },
    private readonly options: NoticedCacheOptions,
  ) {}

  /** Hear the change notices; until then (and if it fails) every `get` reads. */
  async start(): Promise<void> {
    this.subscription = await this.deps.bus.subscribe(this.deps.channel, (key) => this.forget(key), {
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

  /** The remembered answer for `key`, or `read()`'s (then remembered). */
  async get(key: string, read: () => Promise<V>): Promise<V> {
    const entry = this.trusted ? this.entries.get(key) : undefined;
    if (entry && this.now() - entry.at < this.options.maxAgeMs) return entry.value;
    const generation = this.generation;
    const value = await read();
    if (this.trusted && generation === this.generation) this.put(key, value);
    return value;
  }

  /** After a write of what `key`'s answer depends on: forgotten here at once, then everywhere. */
  async changed(key: string): Promise<void> {
    this.forget(key);
    await this.deps.bus.publish(this.deps.channel, key);
  }

  private forget(key: string): void {
    this.generation++;
    this.entries.delete(key);
  }

  private put(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, { value, at: this.now() });
    if (this.entries.size <= this.options.maxEntries) return;
    // Map order is insertion order: the first entry is the longest remembered.
    const oldest = this.entries.keys().next();
    if (!oldest.done) this.entries.delete(oldest.value);
  }

  private setTrusted(live: boolean): void {
    if (live === this.trusted) return;
    this.generation++;
    this.entries.clear();
    this.trusted = live;
  }

  private now(): number {
    return this.deps.clock.now().getTime();
  }
}

/**
 * A cache built on a `NoticedCache` (the auth user facts, the friendships): the part every
 * such cache shows of it — starting and stopping its notices, whether it answers from memory,
 * how much it remembers.
 */
export abstract class NoticedCacheHolder<V> {
  protected abstract readonly cache: NoticedCache<V>;

  /** Hear the change notices; until then (and if it fails) every check reads the database. */
  start(): Promise<void> {
    return this.cache.start();
  }

  stop(): Promise<void> {
    return this.cache.stop();
  }

  /** Whether checks are answered from memory (the notices are heard). */
  get caching(): boolean {
    return this.cache.caching;
  }

  /** Number of keys remembered. */
  get size(): number {
    return this.cache.size;
  }
}
