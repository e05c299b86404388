/**
 * Error handling as box-im's clients depend on it (backend §1.1–§1.2, frontend §2.1):
 * HTTP 200 always; code 400 → back to login; code 401 → `PUT /refreshToken` then replay the
 * request; any other code → toast `message` (Chinese, or English on `X-IM-Language: en`).
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, type TestUser } from '../../testing';
import {
  CHINESE,
  expectFail,
  expectFields,
  expectOk,
  rawRequest,
  web,
  webHttp,
  wsLoginOutcome,
} from './support';

const ACCESS_SECRET = 'compat-access-secret-1';
const REFRESH_SECRET = 'compat-refresh-secret-2';

/** An HS256 JWT shaped like box-im's JwtUtil: aud = "<userId>", exp, info = JSON string. */
function boxImToken(
  secret: string,
  userId: number,
  terminal: number,
  expSeconds: number,
  userName = 'x',
): string {
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const header = b64({ alg: 'HS256', typ: 'JWT' });
  const payload = b64({
    aud: String(userId),
    exp: expSeconds,
    info: JSON.stringify({ nickName: userName, terminal, userId, userName }),
  });
  const sig = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${sig}`;
}
const nowS = () => Math.floor(Date.now() / 1000);

describe('error codes as box-im clients handle them', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({
      env: { JWT_ACCESS_SECRET: ACCESS_SECRET, JWT_REFRESH_SECRET: REFRESH_SECRET },
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('code 400: not logged in (web: location.href="/", uniapp: exit())', () => {
    it.each([
      ['GET', '/user/self'],
      ['GET', '/friend/list'],
      ['GET', '/group/list'],
      ['GET', '/system/config'],
      ['GET', '/message/private/loadOfflineMessage?minId=0'],
      ['POST', '/message/private/send'],
      ['PUT', '/friend/dnd'],
      ['DELETE', '/group/members/remove'],
    ])('%s %s without accessToken → HTTP 200, code 400 "未登录"', async (method, path) => {
      const body = method === 'GET' ? undefined : '{}';
      const r = await rawRequest(t, method, path, body ? { 'content-type': 'application/json' } : {}, body);
      expectFail(r, 400);
      expect(r.message).toBe('未登录');
    });

    it('an empty accessToken header is "not logged in" too', async () => {
      expectFail(await rawRequest(t, 'GET', '/user/self', { accessToken: '' }), 400);
    });
  });

  describe('code 401: invalid or expired token → refresh → replay', () => {
    it.each([
      ['garbage', 'garbage'],
      ['a JWT with a wrong signature', () => boxImToken('other-secret-xyz', 1, 0, nowS() + 600)],
      ['an expired JWT', () => boxImToken(ACCESS_SECRET, 1, 0, nowS() - 60)],
    ])('%s → HTTP 200, code 401 "token无效或已过期"', async (_name, tok) => {
      const token = typeof tok === 'function' ? tok() : tok;
      const r = await rawRequest(t, 'GET', '/user/self', { accessToken: token });
      expectFail(r, 401);
      expect(r.message).toBe('token无效或已过期');
    });

    it('web flow: 401 on send, then PUT /refreshToken (expired accessToken still attached), then the replayed send succeeds once', async () => {
      const a = await t.newUser('ra');
      const b = await t.newUser('rb');
      await t.befriend(a, b);
      const expired = boxImToken(ACCESS_SECRET, a.id, 0, nowS() - 5, a.userName);
      let token = expired;
      const http = webHttp(t, () => token);
      const msg = { tmpId: `${Date.now()}001`, recvId: b.id, content: 'replayed', type: 0 };
      const first = await http('post', '/message/private/send', { data: msg });
      expectFail(first, 401);
      // httpRequest.js: the interceptor adds the (expired) accessToken to the refresh call too.
      const refreshed = await http('put', '/refreshToken', {
        headers: { refreshToken: a.tokens.refreshToken },
      });
      const lv = expectOk(refreshed, 'refresh');
      expectFields(lv, { accessToken: 'string', refreshToken: 'string' });
      token = lv.accessToken;
      const replay = expectOk(await http('post', '/message/private/send', { data: msg }), 'replay');
      expect(replay).toMatchObject({ content: 'replayed', tmpId: msg.tmpId });
      const hist = expectOk(
        await web(t, b)('get', `/message/private/history?friendId=${a.id}&page=1&size=10`),
      );
      expect(hist.filter((m: { content: string }) => m.content === 'replayed')).toHaveLength(1);
    });

    it('a token that expired while the app was idle: ACCESS_TOKEN_TTL elapses → 401 → refresh → replay', async () => {
      // A minute of lifetime, passed on the clock: the refreshed token then lives a minute of
      // real time, so a loaded machine cannot let it expire before the replay uses it.
      const short = await startTestServer({ env: { ACCESS_TOKEN_TTL_SECONDS: '60' } });
      try {
        const u = await short.newUser('ttl');
        short.clock.advance(61_000); // the app idles past the 60 s lifetime
        expectFail(await rawRequest(short, 'GET', '/user/self', { accessToken: u.api.accessToken! }), 401);
        const lv = expectOk(
          await rawRequest(short, 'PUT', '/refreshToken', {
            refreshToken: u.tokens.refreshToken,
            accessToken: u.api.accessToken!,
          }),
        );
        u.api.accessToken = lv.accessToken;
        expect((await u.api.get('/user/self')).code).toBe(200);
      } finally {
        await short.close();
      }
    });

    it('the refresh rotates: the new refresh token works again', async () => {
      const u = await t.newUser('rot');
      const r1 = expectOk(
        await rawRequest(t, 'PUT', '/refreshToken', { refreshToken: u.tokens.refreshToken }),
      );
      const r2 = expectOk(await rawRequest(t, 'PUT', '/refreshToken', { refreshToken: r1.refreshToken }));
      expect(typeof r2.accessToken).toBe('string');
    });

    it('parallel 401s at startup refresh with the same refresh token at once: every refresh succeeds', async () => {
      // httpRequest.js has no refresh lock: /friend/list, /group/list and /system/config 401
      // together and each sends PUT /refreshToken with the same stored refresh token.
      const u = await t.newUser('par');
      const results = await Promise.all(
        [1, 2, 3].map(() => rawRequest(t, 'PUT', '/refreshToken', { refreshToken: u.tokens.refreshToken })),
      );
      expect(results.map((r) => r.code)).toEqual([200, 200, 200]);
      // ...and a later reuse of the old refresh token (another tab's sessionStorage) still works.
      expect(
        (await rawRequest(t, 'PUT', '/refreshToken', { refreshToken: u.tokens.refreshToken })).code,
      ).toBe(200);
      // Requests still in flight with the previous access token are not rejected either.
      expect((await rawRequest(t, 'GET', '/user/self', { accessToken: u.tokens.accessToken })).code).toBe(
        200,
      );
    });

    it.each([
      ['garbage', () => 'garbage'],
      ['an access token used as refresh token', async () => (await t.newUser('acc')).api.accessToken!],
      ['a missing header', () => undefined],
    ])(
      'a failed refresh (%s) is neither 200 nor 401 (a 401 would loop the web client forever)',
      async (_n, make) => {
        const tok = await make();
        const r = await rawRequest(t, 'PUT', '/refreshToken', tok === undefined ? {} : { refreshToken: tok });
        expect(r.status).toBe(200);
        expect(r.code).not.toBe(200);
        expect(r.code).not.toBe(401);
        expect(r.message.length).toBeGreaterThan(0);
      },
    );

    it('a WS login with an expired token is closed without ack, with a code the client reconnects from', async () => {
      const u = await t.newUser('wsx');
      const expired = boxImToken(ACCESS_SECRET, u.id, 0, nowS() - 5, u.userName);
      const out = await wsLoginOutcome(t, expired);
      expect(out.cmds).not.toContain(0);
      expect(out.closeCode, 'the server should close the socket').not.toBeNull();
      expect(out.closeCode).not.toBe(3000);
    });
  });

  describe('tokens issued by box-im (README: "keep working until they expire")', () => {
    it('a box-im access token (aud, exp, info JSON; no iat) works for HTTP and the WebSocket', async () => {
      const u = await t.newUser('bxa');
      const tok = boxImToken(ACCESS_SECRET, u.id, 0, nowS() + 600, u.userName);
      expect(expectOk(await rawRequest(t, 'GET', '/user/self', { accessToken: tok })).id).toBe(u.id);
      const out = await wsLoginOutcome(t, tok, 3, 500);
      expect(out.cmds).toContain(0);
    });

    it('a box-im refresh token refreshes (the web/uniapp session survives the switch of server)', async () => {
      const u = await t.newUser('bxr');
      const tok = boxImToken(REFRESH_SECRET, u.id, 1, nowS() + 3600, u.userName);
      const lv = expectOk(await rawRequest(t, 'PUT', '/refreshToken', { refreshToken: tok }));
      expect(expectOk(await rawRequest(t, 'GET', '/user/self', { accessToken: lv.accessToken })).id).toBe(
        u.id,
      );
    });
  });

  describe('business errors: code 500 + message (toast)', () => {
    let a: TestUser;
    let stranger: TestUser;
    beforeAll(async () => {
      a = await t.newUser('be');
      stranger = await t.newUser('bs');
    });

    it('sending to a non-friend is code 500 with a Chinese message', async () => {
      const r = await web(t, a)('post', '/message/private/send', {
        data: { recvId: stranger.id, content: 'hi', type: 0 },
      });
      expectFail(r, 500);
      expect(r.message).toMatch(CHINESE);
    });

    it('stays Chinese in an English browser (Accept-Language: en-US): box-im’s client is Chinese-only', async () => {
      const r = await web(t, a)('post', '/message/private/send', {
        data: { recvId: stranger.id, content: 'hi', type: 0 },
        headers: { 'accept-language': 'en-US,en;q=0.9' },
      });
      expectFail(r, 500);
      expect(r.message).toMatch(CHINESE);
    });

    it('is English only when the client names it (X-IM-Language: en, as im-web does)', async () => {
      const r = await web(t, a)('post', '/message/private/send', {
        data: { recvId: stranger.id, content: 'hi', type: 0 },
        headers: { 'accept-language': 'zh-CN', 'x-im-language': 'en' },
      });
      expectFail(r, 500);
      expect(r.message).not.toMatch(CHINESE);
      expect(r.message).toMatch(/[a-z]{3,}/i);
    });

    it('a Chinese browser (zh-CN,zh;q=0.9,en;q=0.8) gets Chinese', async () => {
      const r = await web(t, a)('get', '/user/find/987654');
      expectFail(r, 500);
      expect(r.message).toMatch(CHINESE);
    });

    it('login with a wrong password is code 10001 "密码不正确"; an unknown user is code 500', async () => {
      const anon = webHttp(t);
      const wrong = await anon('post', '/login', {
        data: { terminal: 0, userName: a.userName, password: 'nope-nope' },
      });
      expectFail(wrong, 10001);
      expect(wrong.message).toBe('密码不正确');
      expectFail(
        await anon('post', '/login', {
          data: { terminal: 0, userName: 'no-such-user-x', password: 'whatever1' },
        }),
        500,
      );
    });

    it('registering a taken userName is code 10003 "该用户名已注册"', async () => {
      const r = await webHttp(t)('post', '/register', {
        data: { userName: a.userName, password: 'secret1', confirmPassword: 'secret1' },
      });
      expectFail(r, 10003);
      expect(r.message).toBe('该用户名已注册');
    });

    it('validation failures (short password, terminal out of range, missing content) are code 500 with a message', async () => {
      const anon = webHttp(t);
      const short = await anon('post', '/register', {
        data: { userName: `v${Date.now() % 1e6}`, password: '123', confirmPassword: '123' },
      });
      expectFail(short, 500);
      expect(short.message).toMatch(CHINESE);
      expectFail(
        await anon('post', '/login', { data: { terminal: 7, userName: a.userName, password: a.password } }),
        500,
      );
      expectFail(
        await web(t, a)('post', '/message/private/send', { data: { recvId: stranger.id, type: 0 } }),
        500,
      );
    });
  });

  describe('HTTP status is always 200 on API paths', () => {
    it.each([
      ['GET', '/no/such/endpoint', undefined],
      ['DELETE', '/user/self', undefined],
      ['GET', '/user/find/not-a-number', undefined],
      ['POST', '/message/private/send', '{"recvId": '],
      ['POST', '/message/private/send', 'recvId=1&content=x'],
      ['GET', '/message/private/history?friendId=abc&page=x&size=y', undefined],
      ['GET', '/message/private/loadOfflineMessage', undefined],
      ['PUT', '/friend/dnd', '{}'],
    ])('%s %s (bad request) → HTTP 200 with a {code,message,data} body', async (method, path, body) => {
      const u = await t.newUser('h');
      const headers: Record<string, string> = { accessToken: u.api.accessToken! };
      if (body !== undefined)
        headers['content-type'] = body.startsWith('{')
          ? 'application/json'
          : 'application/x-www-form-urlencoded';
      const r = await rawRequest(t, method, path, headers, body);
      expect(r.status).toBe(200);
      expect(r.keys).toEqual(['code', 'data', 'message']);
      expect(r.code).not.toBe(200);
      // 400/401 would throw the user back to the login page or into a refresh.
      expect([400, 401]).not.toContain(r.code);
    });
  });
});
