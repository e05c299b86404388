import { randomBytes, randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { REDIS_URL, startTestApp, type TestApp } from '@box-im/im-platform/testing';
import { form } from '../files/support';

const TOO_MANY = 429;
const apps: TestApp[] = [];
async function app(env: Record<string, string>, options: { redis?: boolean; listen?: boolean } = {}) {
  const t = await startTestApp({ env, ...options });
  apps.push(t);
  return t;
}
afterEach(async () => {
  await Promise.all(apps.splice(0).map((t) => t.close()));
});

const login = (t: TestApp, userName: string, password: string, headers: Record<string, string> = {}) =>
  t.anon.request('POST', '/login', { terminal: 0, userName, password }, headers);

describe('rate limits', () => {
  it('refuses a burst of wrong logins on one account, even with the right password, until the window ends', async () => {
    const t = await app({ RATE_LIMIT_LOGIN_ACCOUNT: '5/1m' });
    const victim = await t.account({ userName: 'victim', password: 'right-pass' });
    // signing in above was attempt 1
    for (let i = 0; i < 4; i++) expect((await login(t, 'victim', 'wrong-pass')).code).toBe(10001);
    const refused = await login(t, 'victim', 'right-pass');
    expect(refused).toMatchObject({ code: TOO_MANY, data: null, status: 200 });
    expect(refused.message).toMatch(/^操作过于频繁，请\d+秒后再试$/);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.headers.get('x-error-key')).toBe('TOO_MANY_REQUESTS');
    const en = await t.anon
      .as(undefined, 'en')
      .post('/login', { terminal: 0, userName: 'victim', password: 'x' });
    expect(en.message).toMatch(/^Too many requests/);
    // Another account from the same address is not affected.
    await t.account({ userName: 'bystander' });
    // The next window admits the owner again.
    t.clock.advance(61_000);
    expect((await login(t, 'victim', 'right-pass')).code).toBe(200);
    expect(victim.id).toBeGreaterThan(0);
  });

  it('limits logins per address, whatever X-Forwarded-For claims (TRUST_PROXY off)', async () => {
    const t = await app({ RATE_LIMIT_LOGIN_IP: '6/1m' });
    const codes: number[] = [];
    for (let i = 0; i < 8; i++)
      codes.push((await login(t, `nobody${i}`, 'x', { 'x-forwarded-for': `10.0.0.${i}` })).code);
    expect(codes.slice(0, 6).every((c) => c !== TOO_MANY)).toBe(true);
    expect(codes.slice(6)).toEqual([TOO_MANY, TOO_MANY]);
  });

  it('refuses a burst of registrations from one address, creating nobody', async () => {
    const t = await app({ RATE_LIMIT_REGISTER_IP: '5/1h' });
    const results = [];
    for (let i = 0; i < 8; i++)
      results.push(await t.anon.post('/register', { userName: `burst${i}`, password: 'secret123' }));
    expect(results.map((r) => r.code)).toEqual([200, 200, 200, 200, 200, TOO_MANY, TOO_MANY, TOO_MANY]);
    const late = await login(t, 'burst6', 'secret123');
    expect(late.code, late.message).not.toBe(200); // never created
  });

  it('lets 200 sends in a few seconds pass with the default limits (a reconnect burst)', async () => {
    const t = await app({});
    const [a, b] = [await t.newUser('snd'), await t.newUser('rcv')];
    await t.befriend(a, b);
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        a.api.post('/message/private/send', { recvId: b.id, content: `m${i}`, type: 0 }),
      ),
    );
    expect(results.filter((r) => r.code !== 200).map((r) => r.message)).toEqual([]);
  });

  it('limits sends per user over the configured window', async () => {
    const t = await app({ RATE_LIMIT_SEND_USER: '3/1m' });
    const [a, b] = [await t.newUser('snd'), await t.newUser('rcv')];
    await t.befriend(a, b);
    const historyLength = async () =>
      ((await a.api.get(`/message/private/history?friendId=${b.id}&page=1&size=50`)).data as unknown[])
        .length;
    const before = await historyLength();
    const codes = [];
    for (let i = 0; i < 4; i++)
      codes.push((await a.api.post('/message/private/send', { recvId: b.id, content: 'x', type: 0 })).code);
    expect(codes).toEqual([200, 200, 200, TOO_MANY]);
    // Nothing was stored for the refused one.
    expect(await historyLength()).toBe(before + 3);
    // Group sends count against the same budget.
    const group = await a.api.post('/group/create', { name: 'g' });
    const g = await a.api.post('/message/group/send', { groupId: group.data.id, content: 'x', type: 0 });
    expect(g.code).toBe(TOO_MANY);
  });

  it('limits uploads per user in count and bytes per day', async () => {
    const t = await app({ RATE_LIMIT_UPLOAD_USER: '3/1h', RATE_LIMIT_UPLOAD_BYTES_PER_DAY: '5000' });
    const u = await t.newUser('up');
    const file = (size: number) => form({ bytes: randomBytes(size), name: 'a.bin' });
    expect((await u.api.post('/file/upload', file(2000))).code).toBe(200);
    const overQuota = await u.api.post('/file/upload', file(4000));
    expect(overQuota).toMatchObject({ code: TOO_MANY });
    expect(overQuota.headers.get('x-error-key')).toBe('UPLOAD_QUOTA');
    // The refused upload's bytes were not counted: a small one still fits.
    expect((await u.api.post('/file/upload', file(1000))).code).toBe(200);
    expect((await u.api.post('/file/upload', file(100))).code).toBe(TOO_MANY); // 4th upload in the hour
    t.clock.advance(24 * 3600_000);
    const tomorrow = await u.onTerminal(0); // yesterday's token has expired
    expect((await tomorrow.api.post('/file/upload', file(2000))).code).toBe(200);
  });

  it('RATE_LIMIT=off turns every limit off', async () => {
    const t = await app({
      RATE_LIMIT: 'off',
      RATE_LIMIT_LOGIN_ACCOUNT: '2/1m',
      RATE_LIMIT_REGISTER_IP: '2/1h',
    });
    for (let i = 0; i < 6; i++) expect((await login(t, 'ghost', 'x')).code).not.toBe(TOO_MANY);
    for (let i = 0; i < 4; i++)
      expect((await t.anon.post('/register', { userName: `free${i}`, password: 'secret123' })).code).toBe(
        200,
      );
  });

  it.runIf(REDIS_URL)('shares counts across two platform processes on Redis', async () => {
    const env = { RATE_LIMIT_LOGIN_ACCOUNT: '4/1m', REDIS_KEY_PREFIX: `im-test:${randomUUID()}:` };
    const [one, two] = [await app(env, { redis: true }), await app(env, { redis: true })];
    const codes = [];
    for (const t of [one, two, one, two, one, two]) codes.push((await login(t, 'shared', 'x')).code);
    expect(codes.slice(4)).toEqual([TOO_MANY, TOO_MANY]);
    expect(codes.slice(0, 4)).not.toContain(TOO_MANY);
  });
});

describe('TRUST_PROXY', () => {
  const upload = (t: TestApp, token: string) =>
    t.anon.as(token).request('POST', '/file/upload', form({ bytes: randomBytes(64), name: 'a.txt' }), {
      'x-forwarded-proto': 'https',
      'x-forwarded-host': 'evil.example',
    });

  it('ignores X-Forwarded-Host/-Proto by default: URLs name the real host', async () => {
    const t = await app({}, { listen: true });
    const u = await t.newUser('tp');
    const res = await upload(t, u.tokens.accessToken);
    expect(res.code, res.message).toBe(200);
    expect(res.data as string).toMatch(new RegExp(`^${t.url}/files/`));
    expect(res.data).not.toContain('evil.example');
  });

  it('honours them from a trusted proxy address', async () => {
    const t = await app({ TRUST_PROXY: '127.0.0.1/8' }, { listen: true });
    const u = await t.newUser('tp');
    const res = await upload(t, u.tokens.accessToken);
    expect(res.data as string).toMatch(/^https:\/\/evil\.example\/files\//);
  });
});
