/** Tokens signed as box-im signs them (HS256, `aud`, `exp`, `info`; no `typ`, no `iat`). */
import { SignJWT } from 'jose';

/** box-im's default access secret, which the test servers keep unless told otherwise. */
export const BOXIM_ACCESS_SECRET = 'MIIBIjANBgkq';

export function boximToken(
  userId: number,
  opts: { exp?: number; secret?: string; terminal?: number } = {},
): Promise<string> {
  const info = JSON.stringify({ nickName: 'n', terminal: opts.terminal ?? 0, userId, userName: 'u' });
  return new SignJWT({ info })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setAudience(String(userId))
    .setExpirationTime(opts.exp ?? Math.floor(Date.now() / 1000) + 600)
    .sign(new TextEncoder().encode(opts.secret ?? BOXIM_ACCESS_SECRET));
}
