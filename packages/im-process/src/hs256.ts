import { createHmac, timingSafeEqual, type KeyObject } from 'node:crypto';

export type Hs256Outcome =
  { ok: true; claims: Record<string, unknown> } | { ok: false; reason: 'invalid' | 'expired' };

const INVALID: Hs256Outcome = { ok: false, reason: 'invalid' };

/**
 * Verify an HS256 JWT synchronously with node:crypto: its claims, or why not (`expired`: a
 * valid signature whose `exp` has passed; `invalid`: anything else, `nbf` not reached included).
 * jose's `jwtVerify` does the same through WebCrypto, whose async job per call was ~9 % of the
 * standalone server's busy CPU (60–80 µs per verification); this costs a few µs. Same rules as
 * jose's: header `alg` exactly HS256, no `crit`/`b64` extensions, the signature compared in
 * constant time over its exact base64url text, claims a JSON object, `exp`/`nbf`/`iat` numbers
 * when present, no clock tolerance.
 */
export function verifyHs256(token: string, key: KeyObject, nowSeconds: number): Hs256Outcome {
  const parts = token.split('.');
  if (parts.length !== 3) return INVALID;
  const [header64 = '', payload64 = '', signature64 = ''] = parts;
  const header = decodeObject(header64);
  if (!header || header['alg'] !== 'HS256' || 'crit' in header || 'b64' in header) return INVALID;
  const expected = Buffer.from(
    createHmac('sha256', key).update(`${header64}.${payload64}`).digest('base64url'),
  );
  const given = Buffer.from(signature64);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return INVALID;
  const claims = decodeObject(payload64);
  if (!claims) return INVALID;
  const exp = numericDate(claims, 'exp');
  const nbf = numericDate(claims, 'nbf');
  const iat = numericDate(claims, 'iat');
  if (exp === null || nbf === null || iat === null) return INVALID;
  if (exp !== undefined && exp <= nowSeconds) return { ok: false, reason: 'expired' };
  if (nbf !== undefined && nbf > nowSeconds) return INVALID;
  return { ok: true, claims };
}

/** A base64url JSON object, or null. */
function decodeObject(part: string): Record<string, unknown> | null {
  if (!/^[A-Za-z0-9_-]*$/.test(part)) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** The claim as a number, undefined when absent, null when present but not a finite number. */
function numericDate(claims: Record<string, unknown>, name: string): number | null | undefined {
  const value = claims[name];
  if (value === undefined) return undefined;
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
