import type { Bus } from './bus';
import { NoticeKeptMap } from './notice-kept-map';
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

/**
 * Revocation markers (see `TokenRevocations`) for a process that checks them on every request:
 * each user's marker is read from the store once and remembered, and kept current by the
 * notice every `revoke` publishes (from any process) — so a revocation is immediate
 * cluster-wide without a store round trip per request. While the notices cannot be trusted
 * (the subscription is down, or not started) every check reads the store, and what was
 * remembered is forgotten when they come back, since some may have been missed
 * (`NoticeKeptMap`).
 */
export class RevocationCache {
  private readonly store: TokenRevocations;
  private readonly markers: NoticeKeptMap<number, number | null>;

  constructor(bus: Bus, options: RevocationCacheOptions = {}) {
    this.store = new TokenRevocations(bus);
    this.markers = new NoticeKeptMap(bus, {
      channel: REVOCATION_NOTICES,
      onNotice: (message) => this.heard(message),
      maxEntries: options.maxEntries ?? 100_000,
      maxAgeMs: options.maxAgeMs ?? 60_000,
      now: options.now,
    });
  }

  /** Hear the notices; until then (and if it fails) every check reads the store. */
  start(): Promise<void> {
    return this.markers.start();
  }

  stop(): Promise<void> {
    return this.markers.stop();
  }

  /** Whether checks are answered from memory (the notices are heard). */
  get caching(): boolean {
    return this.markers.caching;
  }

  /**
   * Revoke every token of `userId` issued before `atMs`: the marker is written (it lives
   * `ttlMs`), then announced to every process; this one knows it at once.
   */
  async revoke(userId: number, atMs: number, ttlMs: number): Promise<void> {
    await this.store.revoke(userId, atMs, ttlMs);
    this.remember(userId, Math.floor(atMs));
    await this.markers.publish(`${userId}:${Math.floor(atMs)}`);
  }

  /** The user's marker in epoch ms, or null when none is live. */
  validAfter(userId: number): Promise<number | null> {
    return this.markers.get(userId, () => this.store.validAfter(userId));
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
    const known = this.markers.peek(userId)?.value ?? null;
    this.markers.set(userId, known !== null && known > validAfter ? known : validAfter);
  }
}
