import { NoticeKeptMap, type Bus } from '@box-im/im-bus';
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

/**
 * A cache of answers read from the database (the auth user facts, the friendships), remembered
 * per key for a short while and kept correct by invalidation: every write of what they depend
 * on calls `changed(key)`, which forgets the key here at once and publishes it on `channel`, so
 * every other platform process forgets it too. The remembering (trusted only while the notices
 * are heard, a read begun before a change not stored, bounds) is `NoticeKeptMap`'s.
 */
export abstract class NoticedCacheHolder<V> {
  protected readonly cache: NoticeKeptMap<string, V>;

  constructor(deps: { bus: Bus; clock: Clock }, channel: string, options: NoticedCacheOptions) {
    this.cache = new NoticeKeptMap(deps.bus, {
      channel,
      onNotice: (key) => this.cache.forget(key),
      now: () => deps.clock.now().getTime(),
      ...options,
    });
  }

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

  /** After a write of what `key`'s answer depends on: forgotten here at once, then everywhere. */
  protected async changedKey(key: string): Promise<void> {
    this.cache.forget(key);
    await this.cache.publish(key);
  }
}
