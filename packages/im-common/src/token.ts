import { parseSessionInfo, type UserSession } from './session';

/**
 * Value of the `typ` claim the platform writes into the tokens it signs, checked by the HTTP
 * API and the push nodes so that a refresh token never acts as an access token (even where
 * both secrets are equal). box-im's tokens carry no `typ`: they are told apart by their
 * secret alone.
 */
export const TokenType = {
  ACCESS: 'access',
  REFRESH: 'refresh',
} as const;
export type TokenType = (typeof TokenType)[keyof typeof TokenType];

/** The claims of a token both sides rely on, once its signature and expiry are verified. */
export interface TokenClaims {
  session: UserSession;
  /** `typ`; undefined in tokens box-im signed. */
  type: TokenType | undefined;
  /** `iat` in epoch ms (ours carry milliseconds as a fraction); undefined in box-im's tokens. */
  issuedAtMs: number | undefined;
}

/**
 * Check the claims of a verified token as every verifier must: `info` names a user, `aud` is
 * that user's id (box-im writes it as a string, or a one-element array), and `typ` is
 * `expected` or absent. Returns null when any of them fails.
 */
export function readTokenClaims(payload: Record<string, unknown>, expected: TokenType): TokenClaims | null {
  const session = parseSessionInfo(payload['info']);
  if (!session) return null;
  const aud = payload['aud'];
  const audience = Array.isArray(aud) && aud.length === 1 ? (aud[0] as unknown) : aud;
  if (audience !== String(session.userId)) return null;
  const type = payload['typ'];
  if (type !== undefined && type !== expected) return null;
  const iat = payload['iat'];
  return {
    session,
    type: type === undefined ? undefined : expected,
    issuedAtMs: typeof iat === 'number' && Number.isFinite(iat) ? Math.round(iat * 1000) : undefined,
  };
}
