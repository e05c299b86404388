import type { Bus, Subscription } from '@box-im/im-bus';
import { PlatformKey } from '../bus-keys';
import type { Clock } from '../clock';
import type { UserRow } from '../db';
import { TokenService } from '../security/tokens';

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

interface Entry {
  /** Undefined: no such user. */
  facts: AuthFacts | undefined;
  at: number;
}

/** Reads a user's row; the cache never writes. */
export interface UserReader {
  findById(id: number): Promise<UserRow | undefined>;
}

/**
 * The user facts every authenticated request checks (exists, banned and why, password
 * fingerprint), read from the database once per user and remembered for a short while, so
 * that a request does not cost a SQL statement. Kept correct by invalidation: every write of
 * those columns calls `changed(userId)`, which forgets the user here and tells every platform
 * process (bus notice `PlatformKey.userAuthChanged`) to forget it too. While the notices
 * cannot be trusted (subscription down or not started) every check reads the database, and
 * what was remembered is forgotten when they come back, since some may have been missed.
 */
export class AuthUserCache {
  private readonly entries = new Map<number, Entry>();
  private readonly maxEntries: number;
  private readonly maxAgeMs: number;
  private subscription: Subscription | undefined;
  private trusted = false;
  /** Bumped by every change and liveness change: a read begun before is not remembered. */
  private generation = 0;

  constructor(
    private readonly deps: { bus: Bus; users: UserReader; clock: Clock },
    options: AuthUserCacheOptions = {},
  ) {
    this.maxEntries = options.maxEntries ?? 50_000;
    this.maxAgeMs = options.maxAgeMs ?? 5_000;
  }

  /** Hear the change notices; until then (and if it fails) every check reads the database. */
  async start(): Promise<void> {
    this.subscription = await this.deps.bus.subscribe(
      PlatformKey.userAuthChanged,
      (message) => {
        const userId = Number(message);
        if (Number.isSafeInteger(userId)) this.forget(userId);
      },
      { onLive: (live) => this.setTrusted(live) },
    );
    this.setTrusted(this.subscription.live);
  }

  async stop(): Promise<void> {
    this.setTrusted(false);
    await this.subscription?.stop();
    this.subscription = undefined;
  }

  /** Whether checks are answered from memory (the notices are heard). */
  get caching(): boolean {
    return this.trusted;
  }

  /** Number of users remembered. */
  get size(): number {
    return this.entries.size;
  }

  /** The user's facts, or undefined when there is no such user. */
  async facts(userId: number): Promise<AuthFacts | undefined> {
    const entry = this.trusted ? this.entries.get(userId) : undefined;
    if (entry && this.now() - entry.at < this.maxAgeMs) return entry.facts;
    const generation = this.generation;
    const row = await this.deps.users.findById(userId);
    const facts = row && {
      banned: Boolean(row.is_banned),
      reason: row.reason,
      passwordVersion: TokenService.passwordVersion(row.password),
    };
    if (this.trusted && generation === this.generation) this.put(userId, facts);
    return facts;
  }

  /**
   * Called after every write of a user's ban, reason or password, or its deletion: forgotten
   * here at once, and in every other platform process when the notice reaches it.
   */
  async changed(userId: number): Promise<void> {
    this.forget(userId);
    await this.deps.bus.publish(PlatformKey.userAuthChanged, String(userId));
  }

  private forget(userId: number): void {
    this.generation++;
    this.entries.delete(userId);
  }

  private put(userId: number, facts: AuthFacts | undefined): void {
    this.entries.delete(userId);
    this.entries.set(userId, { facts, at: this.now() });
    if (this.entries.size <= this.maxEntries) return;
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
