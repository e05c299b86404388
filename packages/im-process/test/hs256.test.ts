import { createHmac, createSecretKey } from 'node:crypto';
import { SignJWT, UnsecuredJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { verifyHs256 } from '../src/hs256';

const secret = 'a-test-secret-of-enough-bytes-0123456789';
const key = createSecretKey(Buffer.from(secret, 'utf8'));
const now = 1_800_000_000;
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
/** A token signed with the secret over any header and claims (jose refuses to make bad ones). */
const handMade = (header: unknown, claims: unknown) => {
  const input = `${b64(header)}.${b64(claims)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
};

describe('verifyHs256', () => {
  it('accepts what jose signs with the secret, with its claims', async () => {
    const token = await new SignJWT({ info: 'x' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setAudience('7')
      .setIssuedAt(now - 10)
      .setExpirationTime(now + 60)
      .sign(new TextEncoder().encode(secret));
    expect(verifyHs256(token, key, now)).toEqual({
      ok: true,
      claims: { info: 'x', aud: '7', iat: now - 10, exp: now + 60 },
    });
  });

  it('says expired only for a good signature whose exp has passed (exp = now included)', () => {
    expect(verifyHs256(handMade({ alg: 'HS256' }, { exp: now }), key, now)).toEqual({
      ok: false,
      reason: 'expired',
    });
    const otherKey = createSecretKey(Buffer.from('another-secret-of-enough-bytes-987654'));
    expect(verifyHs256(handMade({ alg: 'HS256' }, { exp: now - 5 }), otherKey, now)).toEqual({
      ok: false,
      reason: 'invalid',
    });
  });

  it.each([
    ['another algorithm', handMade({ alg: 'HS512' }, {})],
    ['no algorithm', handMade({}, {})],
    ['a crit extension', handMade({ alg: 'HS256', crit: ['x'], x: 1 }, {})],
    ['an unencoded payload', handMade({ alg: 'HS256', b64: false }, {})],
    ['nbf in the future', handMade({ alg: 'HS256' }, { nbf: now + 1 })],
    ['exp not a number', handMade({ alg: 'HS256' }, { exp: String(now + 60) })],
    ['iat not a number', handMade({ alg: 'HS256' }, { iat: 'yesterday' })],
    ['claims not an object', handMade({ alg: 'HS256' }, [1, 2])],
    ['an unsecured token', new UnsecuredJWT({ a: 1 }).encode()],
    ['two parts', handMade({ alg: 'HS256' }, {}).split('.').slice(0, 2).join('.')],
    ['four parts', `${handMade({ alg: 'HS256' }, {})}.x`],
  ])('refuses %s', (_what, token) => {
    expect(verifyHs256(token, key, now)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('refuses a changed payload and any other spelling of the signature', () => {
    const token = handMade({ alg: 'HS256' }, { aud: '7' });
    const [h, , s] = token.split('.');
    expect(verifyHs256(`${h}.${b64({ aud: '8' })}.${s}`, key, now).ok).toBe(false);
    expect(verifyHs256(`${token}=`, key, now).ok).toBe(false);
    expect(verifyHs256(`${h}.${token.split('.')[1]}.${s!.slice(0, -1)}`, key, now).ok).toBe(false);
    expect(verifyHs256(token, key, now).ok).toBe(true);
  });
});
