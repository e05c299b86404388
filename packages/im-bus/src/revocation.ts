import { RedisKey } from '@box-im/im-common';
import type { Bus } from './bus';

/**
 * Per-user "valid after" markers (`im:user:token_valid_after:{userId}` → epoch ms): every
 * token of the user issued before the marker is revoked. The platform writes one when a
 * password changes, a user is banned or deleted; push nodes read it at login, when a
 * force-logout order arrives and when a ban notice passes, since they cannot see the
 * database. A marker lives as long as the longest token: older tokens have expired by then.
 */
export class TokenRevocations {
  constructor(private readonly bus: Bus) {}

  /** Revoke every token of `userId` issued before `atMs`; the marker lives `ttlMs`. */
  async revoke(userId: number, atMs: number, ttlMs: number): Promise<void> {
    await this.bus.set(RedisKey.userTokensValidAfter(userId), String(Math.floor(atMs)), { ttlMs });
  }

  /** The user's marker in epoch ms, or null when none is live. */
  async validAfter(userId: number): Promise<number | null> {
    const value = await this.bus.get(RedisKey.userTokensValidAfter(userId));
    const ms = Number(value);
    return value !== null && Number.isFinite(ms) ? ms : null;
  }

  /** Whether a token of `userId` issued at `issuedAtMs` is revoked (see `isRevokedBy`). */
  async isRevoked(userId: number, issuedAtMs: number | undefined): Promise<boolean> {
    return isRevokedBy(await this.validAfter(userId), issuedAtMs);
  }
}

/**
 * A token issued at `issuedAtMs` is revoked by a marker if it was issued before it. A token
 * without an issue time (box-im's tokens carry no `iat`) cannot prove it is newer, so any
 * marker revokes it. Without a marker nothing is revoked.
 */
export function isRevokedBy(validAfterMs: number | null, issuedAtMs: number | undefined): boolean {
  if (validAfterMs === null) return false;
  return issuedAtMs === undefined || issuedAtMs < validAfterMs;
}
