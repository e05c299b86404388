/**
 * Access tokens are verified once and remembered by their exact text: a remembered answer is
 * the one a new verification would give (expiry checked on every hit), nothing that failed is
 * remembered, and the number kept is bounded.
 */
import { describe, expect, it } from 'vitest';
import { TokenService } from '../../src/security/tokens';
import { VerifiedTokens } from '../../src/security/verified-tokens';

function service() {
  let nowMs = Date.UTC(2026, 0, 1);
  const clock = { now: () => new Date(nowMs), advance: (ms: number) => (nowMs += ms) };
  const tokens = new TokenService({
    accessSecret: 'access-secret-for-tests',
    refreshSecret: 'refresh-secret-for-tests',
    accessTtlSeconds: 1800,
    refreshTtlSeconds: 7200,
    clock,
  });
  return { tokens, clock };
}

const session = { userId: 7, userName: 'u7', nickName: 'u7', terminal: 0 };

describe('verified access tokens', () => {
  it('answers a known token as a verification would, until it expires', async () => {
    const { tokens, clock } = service();
    const pair = await tokens.issue(JSON.stringify(session), 7, 'pwv');
    const first = await tokens.verifyAccess(pair.accessToken);
    expect(first).toMatchObject({ ok: true, token: { session, passwordVersion: 'pwv' } });
    const again = await tokens.verifyAccess(pair.accessToken);
    expect(again.ok && first.ok && again.token).toBe(first.ok && first.token); // the remembered one
    expect(Object.isFrozen(again.ok && again.token.session)).toBe(true);
    clock.advance(1799_000);
    expect((await tokens.verifyAccess(pair.accessToken)).ok).toBe(true);
    clock.advance(1000);
    expect(await tokens.verifyAccess(pair.accessToken)).toEqual({ ok: false, reason: 'expired' });
    expect(await tokens.verifyAccess(pair.accessToken)).toEqual({ ok: false, reason: 'expired' });
  });

  it('never passes a tampered token or a refresh token for a remembered one', async () => {
    const { tokens } = service();
    const pair = await tokens.issue(JSON.stringify(session), 7, 'pwv');
    expect((await tokens.verifyAccess(pair.accessToken)).ok).toBe(true);
    const last = pair.accessToken.at(-1) === 'A' ? 'B' : 'A';
    expect(await tokens.verifyAccess(pair.accessToken.slice(0, -1) + last)).toEqual({
      ok: false,
      reason: 'invalid',
    });
    expect((await tokens.verifyAccess(pair.refreshToken)).ok).toBe(false);
    expect((await tokens.verifyRefresh(pair.refreshToken)).ok).toBe(true);
  });

  it('keeps at most maxEntries tokens, dropping the longest kept', () => {
    const kept = new VerifiedTokens<string>(2);
    kept.put('a', 'A', 100);
    kept.put('b', 'B', 100);
    kept.put('c', 'C', 100);
    expect(kept.size).toBe(2);
    expect([kept.get('a', 0), kept.get('b', 0), kept.get('c', 0)]).toEqual([undefined, 'B', 'C']);
    expect(kept.get('b', 100)).toBe('expired');
    expect(kept.size).toBe(1);
  });
});
