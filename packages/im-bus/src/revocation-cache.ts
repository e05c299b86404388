import type { Bus, Subscription } from './bus';
import { isRevokedBy, TokenRevocations } from './revocation';

/** Notice channel of new revocation markers: `{userId}:{validAfterMs}`. */
export const REVOCATION_NOTICES = 'im:notice:token-revocations';

export interface RevocationCacheOptions {
  /** Users whose marker (or its absence) is remembered; the oldest are dropped beyond. @default 100000 */
  maxEntries?: number;
  /**
   * A remembered answer is read again from the store after this long: the bound on a marker
   * missed without the subscription noticing (a silently dead connection). @default 60000
   */
  maxAgeMs?: number;
  /** Where the age is measured. @default Date.now */
  now?: () => number;
}

interface Entry {
  validAfter: number | null;
  at: number;
}

/**
 * Revocation markers (see `TokenRevocations`) for a process that checks them on every request:
 * each user's marker is read from the store once and remembered, and kept current by the
 * notice every `revoke` publishes (from any process) — so a revocation is immediate
 * cluster-wide without a store round trip per request. While the notices cannot be trusted
 * (the subscription is down, or not started) every check reads the store, and what was
 * remembered is forgotten when they come back, since some may have been missed.
 */
export class RevocationCache {
  private readonly store: TokenRevocations;
  private readonly entries = new Map<number, Entry>();
  private readonly maxEntries: number;
  private readonly maxAgeMs: number;
  private readonly now: () => number;
  private subscription: Subscription | undefined;
  private trusted = false;
  /** Bumped by every notice and liveness change: a store read begun before is not remembered. */
  private generation = 0;

  constructor(
    private readonly bus: Bus,
    options: RevocationCacheOptions = {},
  ) {
    this.store = new TokenRevocations(bus);
    this.maxEntries = options.maxEntries ?? 100_000;
    this.maxAgeMs = options.maxAgeMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  /** Hear the notices; until then (and if it fails) every check reads the store. */
  async start(): Promise<void> {
    this.subscription = await this.bus.subscribe(REVOCATION_NOTICES, (m) => this.heard(m), {
      onLive: (live) => this.setTrusted(live),
    });
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

  /**
   * Revoke every token of `userId` issued before `atMs`: the marker is written (it lives
   * `ttlMs`), then announced to every process; this one knows it at once.
   */
  async revoke(userId: number, atMs: number, ttlMs: number): Promise<void> {
    await this.store.revoke(userId, atMs, ttlMs);
    this.remember(userId, Math.floor(atMs));
    await this.bus.publish(REVOCATION_NOTICES, `${userId}:${Math.floor(atMs)}`);
  }

  /** The user's marker in epoch ms, or null when none is live. */
  async validAfter(userId: number): Promise<number | null> {
    const entry = this.trusted ? this.entries.get(userId) : undefined;
    if (entry && this.now() - entry.at < this.maxAgeMs) return entry.validAfter;
    const generation = this.generation;
    const validAfter = await this.store.validAfter(userId);
    if (this.trusted && generation === this.generation) this.put(userId, validAfter);
    return validAfter;
  }

  /** Whether a token of `userId` issued at `issuedAtMs` is revoked (see `isRevokedBy`). */
  async isRevoked(userId: number, issuedAtMs: number | undefined): Promise<boolean> {
    return isRevokedBy(await this.validAfter(userId), issuedAtMs);
  }

  private heard(message: string): void {
    const [user, at] = message.split(':').map(Number);
    if (!Number.isSafeInteger(user) || !Number.isFinite(at)) return;
    this.remember(user!, at!);
  }

  /** A marker written or announced: newer than anything remembered of the user. */
  private remember(userId: number, validAfter: number): void {
    this.generation++;
    const known = this.entries.get(userId)?.validAfter ?? null;
    if (this.trusted) this.put(userId, known !== null && known > validAfter ? known : validAfter);
  }

  private put(userId: number, validAfter: number | null): void {
    this.entries.delete(userId);
    this.entries.set(userId, { validAfter, at: this.now() });
    if (this.entries.size <= this.maxEntries) return;
    // Map order is insertion order: the first entries are the longest remembered.
    const drop = this.entries.size - this.maxEntries;
    let i = 0;
    for (const key of this.entries.keys()) {
      if (i++ >= drop) break;
      this.entries.delete(key);
    }
  }

  private setTrusted(live: boolean): void {
    if (live === this.trusted) return;
    this.generation++;
    this.entries.clear();
    this.trusted = live;
  }
}
