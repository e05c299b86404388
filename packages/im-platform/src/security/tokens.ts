import { createHash, createSecretKey, type KeyObject } from 'node:crypto';
import { readTokenClaims, TokenType, type UserSession } from '@box-im/im-common';
import { verifyHs256 } from '@box-im/im-process';
import { SignJWT } from 'jose';
import type { Clock } from '../clock';
import { VerifiedTokens } from './verified-tokens';

export interface TokenPair {
  accessToken: string;
  accessTokenExpiresIn: number;
  refreshToken: string;
  refreshTokenExpiresIn: number;
}

export interface VerifiedToken {
  session: UserSession;
  /** The `info` claim as signed, reused unchanged on refresh (box-im does the same). */
  info: string;
  /** Password fingerprint the token was issued under; absent in tokens box-im issued. */
  passwordVersion: string | undefined;
  /** Issue time in epoch ms; absent in tokens box-im issued (checked against revocations). */
  issuedAtMs: number | undefined;
}

export type VerifyOutcome = { ok: true; token: VerifiedToken } | { ok: false; reason: 'expired' | 'invalid' };

/**
 * Tokens as box-im signs them: HS256, `aud` = user id, `exp`, and `info` = the JSON text of
 * the session. We add `pwv`, a short fingerprint of the password hash, so that changing the
 * password revokes every token issued before; `typ` ("access" / "refresh"), so that one kind
 * never passes for the other; and `iat` in milliseconds (a fractional NumericDate), compared
 * with the revocation markers push nodes read.
 *
 * box-im's own tokens carry no `typ`: they are accepted when their signature matches the
 * secret of the kind asked for, which tells them apart only while the two secrets differ
 * (production requires it). With equal secrets, untyped tokens are refused.
 */
export class TokenService {
  // KeyObjects made once: jose signs with them (it caches their CryptoKey) and verifyHs256
  // checks with node:crypto synchronously (WebCrypto's async verify was ~9 % of busy CPU).
  private readonly accessKey: KeyObject;
  private readonly refreshKey: KeyObject;
  private readonly untypedAllowed: boolean;
  /** Access tokens that verified (every request sends one; see `VerifiedTokens`). */
  private readonly verifiedAccess = new VerifiedTokens<VerifiedToken>();

  constructor(
    private readonly opts: {
      accessSecret: string;
      refreshSecret: string;
      accessTtlSeconds: number;
      refreshTtlSeconds: number;
      clock: Clock;
    },
  ) {
    this.accessKey = createSecretKey(Buffer.from(opts.accessSecret, 'utf8'));
    this.refreshKey = createSecretKey(Buffer.from(opts.refreshSecret, 'utf8'));
    this.untypedAllowed = opts.accessSecret !== opts.refreshSecret;
  }

  /** Lifetime of the longest-lived token: a revocation must be remembered that long. */
  get maxLifetimeSeconds(): number {
    return Math.max(this.opts.accessTtlSeconds, this.opts.refreshTtlSeconds);
  }

  static passwordVersion(passwordHash: string): string {
    return createHash('sha256').update(passwordHash).digest('base64url').slice(0, 12);
  }

  async issue(info: string, userId: number, passwordVersion: string): Promise<TokenPair> {
    const claims = { info, pwv: passwordVersion };
    const [accessToken, refreshToken] = await Promise.all([
      this.sign({ ...claims, typ: TokenType.ACCESS }, userId, this.accessKey, this.opts.accessTtlSeconds),
      this.sign({ ...claims, typ: TokenType.REFRESH }, userId, this.refreshKey, this.opts.refreshTtlSeconds),
    ]);
    return {
      accessToken,
      accessTokenExpiresIn: this.opts.accessTtlSeconds,
      refreshToken,
      refreshTokenExpiresIn: this.opts.refreshTtlSeconds,
    };
  }

  verifyAccess(token: string): Promise<VerifyOutcome> {
    const nowSeconds = this.opts.clock.now().getTime() / 1000;
    const known = this.verifiedAccess.get(token, nowSeconds);
    if (known === 'expired') return Promise.resolve({ ok: false, reason: 'expired' });
    if (known) return Promise.resolve({ ok: true, token: known });
    const outcome = this.check(token, this.accessKey, TokenType.ACCESS, nowSeconds);
    if (outcome.ok && outcome.expSeconds !== undefined)
      this.verifiedAccess.put(token, outcome.token, outcome.expSeconds);
    return Promise.resolve(outcome);
  }

  verifyRefresh(token: string): Promise<VerifyOutcome> {
    const nowSeconds = this.opts.clock.now().getTime() / 1000;
    return Promise.resolve(this.check(token, this.refreshKey, TokenType.REFRESH, nowSeconds));
  }

  private sign(claims: Record<string, string>, userId: number, key: KeyObject, ttl: number): Promise<string> {
    // `iat` keeps its milliseconds: a token issued in the same second as a revocation but
    // after it must not pass for a revoked one.
    const nowMs = this.opts.clock.now().getTime();
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setAudience(String(userId))
      .setIssuedAt(nowMs / 1000)
      .setExpirationTime(Math.floor(nowMs / 1000) + ttl)
      .sign(key);
  }

  /** The outcome, with `exp` when the token may be remembered (it has one, and no `nbf`). */
  private check(
    token: string,
    key: KeyObject,
    type: TokenType,
    nowSeconds: number,
  ): VerifyOutcome & { expSeconds?: number } {
    try {
      const verified = verifyHs256(token, key, nowSeconds);
      if (!verified.ok) return verified;
      const payload = verified.claims;
      const claims = readTokenClaims(payload, type);
      if (!claims || (claims.type === undefined && !this.untypedAllowed))
        return { ok: false, reason: 'invalid' };
      const pwv = payload['pwv'];
      const exp = payload['exp'];
      // Frozen: a remembered token is handed to every request that sends it.
      const verifiedToken: VerifiedToken = Object.freeze({
        session: Object.freeze(claims.session),
        info: payload['info'] as string,
        passwordVersion: typeof pwv === 'string' ? pwv : undefined,
        issuedAtMs: claims.issuedAtMs,
      });
      return {
        ok: true,
        token: verifiedToken,
        ...(typeof exp === 'number' && payload['nbf'] === undefined ? { expSeconds: exp } : {}),
      };
    } catch {
      return { ok: false, reason: 'invalid' };
    }
  }
}
