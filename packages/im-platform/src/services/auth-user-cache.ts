import type { Bus } from '@box-im/im-bus';
import { PlatformKey } from '../bus-keys';
import type { Clock } from '../clock';
import type { UserRow } from '../db';
import { TokenService } from '../security/tokens';
import { NoticedCacheHolder } from './noticed-cache';

/** What request authentication needs of a user's row. */
export interface AuthFacts {
  banned: boolean;
  /** Why the user is banned (shown by the clients), as stored. */
  reason: string;
  /** Fingerprint of the password hash (`TokenService.passwordVersion`). */
  passwordVersion: string;
}

export interface AuthUserCacheOptions {
  /** Users whose facts are remembered; the longest remembered are dropped beyond. @default 50000 */
  maxEntries?: number;
  /**
   * A remembered answer is read again after this long: the bound on a change no notice told
   * of (box-im's admin console lifts a ban without one; a notice lost on a dead connection).
   * @default 5000
   */
  maxAgeMs?: number;
}

/** Reads a user's row; the cache never writes. */
export interface UserReader {
  findById(id: number): Promise<UserRow | undefined>;
}

/**
 * The user facts every authenticated request checks (exists, banned and why, password
 * fingerprint), read from the database once per user and remembered for a short while, so
 * that a request does not cost a SQL statement. Kept correct by invalidation (`NoticedCacheHolder`):
 * every write of those columns, and every token revocation, calls `changed(userId)`, which
 * forgets the user here and in every platform process (bus notice `PlatformKey.userAuthChanged`).
 */
export class AuthUserCache extends NoticedCacheHolder<AuthFacts | undefined> {
  constructor(
    private readonly deps: { bus: Bus; users: UserReader; clock: Clock },
    options: AuthUserCacheOptions = {},
  ) {
    super(deps, PlatformKey.userAuthChanged, {
      maxEntries: options.maxEntries ?? 50_000,
      maxAgeMs: options.maxAgeMs ?? 5_000,
    });
  }

  /** The user's facts, or undefined when there is no such user. */
  facts(userId: number): Promise<AuthFacts | undefined> {
    return this.cache.get(String(userId), async () => {
      const row = await this.deps.users.findById(userId);
      return (
        row && {
          banned: Boolean(row.is_banned),
          reason: row.reason,
          passwordVersion: TokenService.passwordVersion(row.password),
        }
      );
    });
  }

  /**
   * Called after every write of a user's ban, reason or password, or its deletion: forgotten
   * here at once, and in every other platform process when the notice reaches it.
   */
  changed(userId: number): Promise<void> {
    return this.changedKey(String(userId));
  }
}
