import bcrypt from 'bcryptjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boximToken, ENGINES, startTestApp, type TestApp } from '@box-im/im-platform/testing';

describe.each(ENGINES)('accounts on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ engine });
  });
  afterAll(() => t.close());

  it('registers, logs in and reads the own profile', async () => {
    const reg = await t.anon.post('/register', {
      userName: 'alice_' + engine,
      password: 'secret1',
      confirmPassword: 'secret1',
    });
    expect(reg).toMatchObject({ code: 200, message: '成功', data: null, status: 200 });
    const login = await t.anon.post('/login', {
      terminal: 0,
      userName: 'alice_' + engine,
      password: 'secret1',
    });
    expect(login.code).toBe(200);
    expect(login.data).toMatchObject({ accessTokenExpiresIn: 1800, refreshTokenExpiresIn: 604800 });
    const api = t.anon.as(login.data.accessToken);
    const self = await api.get('/user/self');
    expect(self.code).toBe(200);
    expect(self.data).toMatchObject({
      userName: 'alice_' + engine,
      nickName: 'alice_' + engine, // defaults to the user name
      sex: 0,
      type: 1,
      isBanned: false,
      online: null,
    });
    expect(typeof self.data.id).toBe('number');
    expect(self.data).not.toHaveProperty('password');
  });

  it('refuses a duplicate user name with 10003 and a wrong password with 10001', async () => {
    const u = await t.newUser('dup');
    const again = await t.anon.post('/register', { userName: u.userName, password: 'whatever' });
    expect(again).toMatchObject({ code: 10003, message: '该用户名已注册', data: null });
    const wrong = await t.anon.post('/login', { terminal: 0, userName: u.userName, password: 'not-it' });
    expect(wrong).toMatchObject({ code: 10001, message: '密码不正确' });
    const nobody = await t.anon.post('/login', { terminal: 0, userName: 'no_such_user_x', password: 'x' });
    expect(nobody).toMatchObject({ code: 500, message: '用户不存在' });
  });

  it('answers 400 without a token and 401 for garbage, expired, foreign-signed or unknown-user tokens', async () => {
    const u = await t.newUser('tok');
    expect((await t.anon.get('/user/self')).code).toBe(400);
    for (const token of [
      'garbage',
      'a.b.c',
      await boximToken(u.id, { exp: Math.floor(Date.now() / 1000) - 5 }),
      await boximToken(u.id, { secret: 'some-other-secret' }),
      await boximToken(999_999),
    ]) {
      const res = await t.anon.as(token).get('/user/self');
      expect(res, token).toMatchObject({ code: 401, message: 'token无效或已过期' });
    }
  });

  it('accepts tokens box-im signed (no password fingerprint) until they expire', async () => {
    const u = await t.newUser('legacy');
    const res = await t.anon.as(await boximToken(u.id)).get('/user/self');
    expect(res.code).toBe(200);
    expect(res.data.id).toBe(u.id);
  });

  it('refreshes tokens and refuses a bad refresh token with a message', async () => {
    const u = await t.newUser('ref');
    const res = await t.anon.request('PUT', '/refreshToken', undefined, {
      refreshToken: u.tokens.refreshToken,
    });
    expect(res.code).toBe(200);
    expect((await t.anon.as(res.data.accessToken).get('/user/self')).data.id).toBe(u.id);
    const bad = await t.anon.request('PUT', '/refreshToken', undefined, { refreshToken: 'nope' });
    expect(bad).toMatchObject({ code: 500, message: '您的登录信息已过期，请重新登录' });
    // An access token is not a refresh token (different secrets).
    const swapped = await t.anon.request('PUT', '/refreshToken', undefined, {
      refreshToken: u.tokens.accessToken,
    });
    expect(swapped.code).toBe(500);
  });

  it('expires access tokens after ACCESS_TOKEN_TTL_SECONDS, then refresh gives a working one', async () => {
    const short = await startTestApp({ engine, env: { ACCESS_TOKEN_TTL_SECONDS: '60' } });
    try {
      const u = await short.newUser('exp');
      expect((await u.api.get('/user/self')).code).toBe(200);
      short.clock.advance(61_000);
      expect((await u.api.get('/user/self')).code).toBe(401);
      const res = await short.anon.request('PUT', '/refreshToken', undefined, {
        refreshToken: u.tokens.refreshToken,
      });
      expect(res.code).toBe(200);
      expect((await short.anon.as(res.data.accessToken).get('/user/self')).code).toBe(200);
    } finally {
      await short.close();
    }
  });

  it('logs in with a box-im bcrypt hash and upgrades it to argon2id', async () => {
    const db = t.running.ctx.db.db;
    const hash = bcrypt.hashSync('legacy-pw', 10);
    await db
      .insertInto('im_user')
      .values({ user_name: 'bcrypt_user', nick_name: 'old', password: hash, created_time: new Date() })
      .execute();
    const login = await t.anon.post('/login', {
      terminal: 1,
      userName: 'bcrypt_user',
      password: 'legacy-pw',
    });
    expect(login.code).toBe(200);
    const row = await db
      .selectFrom('im_user')
      .selectAll()
      .where('user_name', '=', 'bcrypt_user')
      .executeTakeFirstOrThrow();
    expect(row.password.startsWith('$argon2id$')).toBe(true);
    expect(row.last_login_time).toBeInstanceOf(Date);
    expect(
      (await t.anon.post('/login', { terminal: 0, userName: 'bcrypt_user', password: 'legacy-pw' })).code,
    ).toBe(200);
  });

  it('refuses banned users at login, refresh and on every request', async () => {
    const u = await t.newUser('ban');
    await t.admin.banUser(u.id, 'spam');
    const expected = "您的账号因'spam'已被管理员封禁,请联系客服!";
    expect(await u.api.get('/user/self')).toMatchObject({ code: 500, message: expected });
    expect(
      await t.anon.post('/login', { terminal: 0, userName: u.userName, password: u.password }),
    ).toMatchObject({
      code: 500,
      message: expected,
    });
    const refresh = await t.anon.request('PUT', '/refreshToken', undefined, {
      refreshToken: u.tokens.refreshToken,
    });
    expect(refresh.message).toBe(expected);
  });

  it('names the bad field in validation errors, in the language asked', async () => {
    const missing = await t.anon.post('/login', { userName: 'x', password: 'y' });
    expect(missing.code).toBe(500);
    expect(missing.message).toContain('terminal');
    const en = await t.anon.as(undefined, 'en-US,en;q=0.9').post('/login', {
      terminal: 'web',
      userName: 'x',
      password: 'y',
    });
    expect(en.code).toBe(500);
    expect(en.message).toMatch(/terminal/);
    expect(en.message).toMatch(/^Invalid request/);
    const range = await t.anon.post('/login', { terminal: 7, userName: 'x', password: 'y' });
    expect(range.message).toContain('terminal');
    const longName = await t.anon.post('/register', { userName: 'x'.repeat(21), password: 'secret' });
    expect(longName.message).toContain('userName');
    const notJson = await t.anon.request('POST', '/login', '{"terminal":', {});
    expect(notJson).toMatchObject({ code: 500, message: '数据格式不正确' });
  });
});
