import type { Bus } from '@box-im/im-bus';
import { PlatformKey } from '../bus-keys';
import type { Clock } from '../clock';
import { NoticedCacheHolder } from './noticed-cache';

export interface FriendshipCacheOptions {
  /** Pairs remembered; the longest remembered are dropped beyond. @default 100000 */
  maxEntries?: number;
  /**
   * A remembered answer is read again after this long: the bound on a change no notice told
   * of (box-im's own nodes sharing the database; a notice lost on a dead connection).
   * @default 5000
   */
  maxAgeMs?: number;
}

/**
 * Whether a user has another as a live friend (the row `userId → friendId`, not deleted): the
 * check of every private send and typing signal, remembered per direction for a short while
 * instead of one SQL statement per message. Kept correct by invalidation (`NoticedCacheHolder`):
 * every write of a friendship (bind, unbind) calls `changed(a, b)`, which forgets both
 * directions here and in every platform process (bus notice `PlatformKey.friendshipChanged`).
 * Checks that decide a write (adding, deleting a friend) read the database, not this.
 */
export class FriendshipCache extends NoticedCacheHolder<boolean> {
  constructor(
    private readonly deps: {
      bus: Bus;
      friends: { isFriend(userId: number, friendId: number): Promise<boolean> };
      clock: Clock;
    },
    options: FriendshipCacheOptions = {},
  ) {
    super(deps, PlatformKey.friendshipChanged, {
      maxEntries: options.maxEntries ?? 100_000,
      maxAgeMs: options.maxAgeMs ?? 5_000,
    });
  }

  isFriend(userId: number, friendId: number): Promise<boolean> {
    return this.cache.get(`${userId}:${friendId}`, () => this.deps.friends.isFriend(userId, friendId));
  }

  /** After a friendship of `a` and `b` was bound or unbound (either direction). */
  async changed(a: number, b: number): Promise<void> {
    await Promise.all([this.changedKey(`${a}:${b}`), this.changedKey(`${b}:${a}`)]);
  }
}
