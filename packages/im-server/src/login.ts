import { createSecretKey, type KeyObject } from 'node:crypto';
import { verifyHs256 } from '@box-im/im-process';
import { isTerminal, readTokenClaims, TokenType, type Terminal } from '@box-im/im-common';

/** What a LOGIN frame carries. */
export interface LoginRequest {
  accessToken: string;
  /** Device id chosen by the client (im-web sends a random number); '' when absent. */
  devId: string;
}

/** Longest device id kept; longer ones are cut (it is only compared, never stored). */
const DEV_ID_MAX_LENGTH = 128;

/** Read `{accessToken, devId}` from a LOGIN frame's data; null when unusable. */
export function parseLoginRequest(data: unknown): LoginRequest | null {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return null;
  const { accessToken, devId } = data as { accessToken?: unknown; devId?: unknown };
  if (typeof accessToken !== 'string' || accessToken === '') return null;
  let dev = '';
  if (typeof devId === 'string') dev = devId;
  else if (typeof devId === 'number' && Number.isFinite(devId)) dev = String(devId);
  return { accessToken, devId: dev.slice(0, DEV_ID_MAX_LENGTH) };
}

/** The (user, terminal) an access token was issued for, and when. */
export interface TokenIdentity {
  userId: number;
  terminal: Terminal;
  /** Epoch ms of `iat`; undefined for box-im's tokens, which carry none. */
  issuedAtMs: number | undefined;
}

/**
 * Verifies access tokens as the HTTP API does: HS256 signature with the shared secret, `exp`
 * not passed, an `info` claim naming a user and a terminal in 0..2, `aud` equal to that user,
 * and `typ` "access" or absent (box-im's tokens; its refresh tokens have another secret).
 * Revocation (password change, ban) is checked by the caller against the bus.
 */
export class TokenVerifier {
  // Verified synchronously (verifyHs256): WebCrypto's async job cost more than the HMAC.
  private readonly key: KeyObject;

  constructor(secret: string) {
    this.key = createSecretKey(Buffer.from(secret, 'utf8'));
  }

  /** The token's identity, or null when the token is invalid, expired or malformed. */
  verify(token: string): TokenIdentity | null {
    const verified = verifyHs256(token, this.key, Date.now() / 1000);
    if (!verified.ok) return null;
    const claims = readTokenClaims(verified.claims, TokenType.ACCESS);
    if (!claims || !isTerminal(claims.session.terminal)) return null;
    return {
      userId: claims.session.userId,
      terminal: claims.session.terminal,
      issuedAtMs: claims.issuedAtMs,
    };
  }
}
