import { createHash } from 'node:crypto';
import { parseSessionInfo, type UserSession } from '@box-im/im-common';
import { errors, jwtVerify, SignJWT } from 'jose';
import type { Clock } from '../clock';

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
}

export type VerifyOutcome = { ok: true; token: VerifiedToken } | { ok: false; reason: 'expired' | 'invalid' };

/**
 * Tokens as box-im signs them: HS256, `aud` = user id, `exp`, and `info` = the JSON text of
 * the session. We add `pwv`, a short fingerprint of the password hash, so that changing the
 * password revokes every token issued before.
 */
export class TokenService {
  private readonly accessKey: Uint8Array;
  private readonly refreshKey: Uint8Array;

  constructor(
    private readonly opts: {
      accessSecret: string;
      refreshSecret: string;
      accessTtlSeconds: number;
      refreshTtlSeconds: number;
      clock: Clock;
    },
  ) {
    this.accessKey = new TextEncoder().encode(opts.accessSecret);
    this.refreshKey = new TextEncoder().encode(opts.refreshSecret);
  }

  static passwordVersion(passwordHash: string): string {
    return createHash('sha256').update(passwordHash).digest('base64url').slice(0, 12);
  }

  async issue(info: string, userId: number, passwordVersion: string): Promise<TokenPair> {
    const [accessToken, refreshToken] = await Promise.all([
      this.sign(info, userId, passwordVersion, this.accessKey, this.opts.accessTtlSeconds),
      this.sign(info, userId, passwordVersion, this.refreshKey, this.opts.refreshTtlSeconds),
    ]);
    return {
      accessToken,
      accessTokenExpiresIn: this.opts.accessTtlSeconds,
      refreshToken,
      refreshTokenExpiresIn: this.opts.refreshTtlSeconds,
    };
  }

  verifyAccess(token: string): Promise<VerifyOutcome> {
    return this.verify(token, this.accessKey);
  }

  verifyRefresh(token: string): Promise<VerifyOutcome> {
    return this.verify(token, this.refreshKey);
  }

  private sign(info: string, userId: number, pwv: string, key: Uint8Array, ttl: number): Promise<string> {
    const now = Math.floor(this.opts.clock.now().getTime() / 1000);
    return new SignJWT({ info, pwv })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setAudience(String(userId))
      .setIssuedAt(now)
      .setExpirationTime(now + ttl)
      .sign(key);
  }

  private async verify(token: string, key: Uint8Array): Promise<VerifyOutcome> {
    try {
      const { payload } = await jwtVerify(token, key, {
        algorithms: ['HS256'],
        currentDate: this.opts.clock.now(),
      });
      const session = parseSessionInfo(payload['info']);
      if (!session || String(session.userId) !== String(payload.aud)) return { ok: false, reason: 'invalid' };
      const pwv = payload['pwv'];
      return {
        ok: true,
        token: {
          session,
          info: payload['info'] as string,
          passwordVersion: typeof pwv === 'string' ? pwv : undefined,
        },
      };
    } catch (error) {
      return { ok: false, reason: error instanceof errors.JWTExpired ? 'expired' : 'invalid' };
    }
  }
}
