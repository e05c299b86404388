import { describe, expect, it, vi } from 'vitest';
import {
  ApiError,
  createApi,
  HttpClient,
  memoryStorage,
  NetworkError,
  tokenStore,
  type HttpRequest,
} from '../src';
import { deferred, fakeTransport, settle } from './fakes';

const LOGIN = {
  accessToken: 'new',
  refreshToken: 'R2',
  accessTokenExpiresIn: 1800,
  refreshTokenExpiresIn: 604800,
};

function setup(handler: Parameters<typeof fakeTransport>[0], remember = true) {
  const tab = memoryStorage();
  const persistent = memoryStorage();
  const tokens = tokenStore(tab, persistent);
  tokens.save({ accessToken: 'old', refreshToken: 'R1' }, remember);
  const { calls, transport } = fakeTransport(handler);
  const http = new HttpClient({ baseUrl: '/api', transport, tokens });
  const onError = vi.fn();
  const onAuthLost = vi.fn();
  http.events = { onError, onAuthLost };
  return { http, calls, tokens, persistent, onError, onAuthLost };
}

const isRefresh = (r: HttpRequest) => r.url === '/api/refreshToken';

describe('HttpClient', () => {
  it('sends the UI language as X-IM-Language on calls and refreshes, when given one', async () => {
    let lang: 'zh' | 'en' = 'en';
    const tokens = tokenStore(memoryStorage(), memoryStorage());
    tokens.save({ accessToken: 'old', refreshToken: 'R1' }, false);
    const { calls, transport } = fakeTransport((r) =>
      isRefresh(r)
        ? { code: 200, data: LOGIN }
        : r.headers['accessToken'] === 'new'
          ? { code: 200, data: 1 }
          : { code: 401 },
    );
    const http = new HttpClient({ baseUrl: '/api', transport, tokens, language: () => lang });
    await http.get('/user/self');
    lang = 'zh';
    await http.get('/user/self');
    expect(calls.map((c) => c.headers['X-IM-Language'])).toEqual(['en', 'en', 'en', 'zh']);
    // Without the option no such header: the server then answers in Chinese.
    const plain = setup(() => ({ code: 200, data: 1 }));
    await plain.http.get('/user/self');
    expect(plain.calls[0]!.headers).not.toHaveProperty('X-IM-Language');
  });

  it('unwraps data, sends the access token and builds the query', async () => {
    const { http, calls } = setup(() => ({ code: 200, data: { id: 7 } }));
    await expect(
      http.get('/user/find', { query: { a: 1, b: 'x y', c: undefined, d: null } }),
    ).resolves.toEqual({
      id: 7,
    });
    expect(calls[0]).toMatchObject({
      method: 'GET',
      url: '/api/user/find?a=1&b=x%20y',
      headers: { accessToken: 'old' },
    });
    await http.post('/x', { body: { n: 1 } });
    expect(calls[1]).toMatchObject({ body: '{"n":1}', headers: { 'Content-Type': 'application/json' } });
  });

  it('on 401 refreshes once for all concurrent calls, then replays each with the new token', async () => {
    const gate = deferred<void>();
    const { http, calls, tokens } = setup(async (req) => {
      if (isRefresh(req)) {
        expect(req.method).toBe('PUT');
        expect(req.headers.refreshToken).toBe('R1');
        await gate.promise;
        return { code: 200, data: LOGIN };
      }
      return req.headers.accessToken === 'new'
        ? { code: 200, data: req.url }
        : { code: 401, message: 'expired' };
    });
    const all = Promise.all([http.get('/a'), http.get('/b'), http.put('/c')]);
    await settle();
    gate.resolve();
    await expect(all).resolves.toEqual(['/api/a', '/api/b', '/api/c']);
    expect(calls.filter(isRefresh)).toHaveLength(1);
    expect(calls).toHaveLength(7);
    expect(tokens.accessToken()).toBe('new');
    expect(tokens.refreshToken()).toBe('R2');
    expect(tokens.isRemembered()).toBe(true);
  });

  it('a 401 that arrives after another call refreshed is replayed without a second refresh', async () => {
    const slow = deferred<void>();
    const { http, calls } = setup(async (req) => {
      if (isRefresh(req)) return { code: 200, data: LOGIN };
      if (req.url === '/api/slow' && req.headers.accessToken === 'old') {
        await slow.promise;
        return { code: 401, message: 'expired' };
      }
      return req.headers.accessToken === 'new'
        ? { code: 200, data: 'ok' }
        : { code: 401, message: 'expired' };
    });
    const slowCall = http.get('/slow');
    await expect(http.get('/fast')).resolves.toBe('ok');
    slow.resolve();
    await expect(slowCall).resolves.toBe('ok');
    expect(calls.filter(isRefresh)).toHaveLength(1);
  });

  it('a failed refresh, a second 401 or code 400 ends the session', async () => {
    const a = setup((req) => (isRefresh(req) ? { code: 401, message: 'refresh expired' } : { code: 401 }));
    await expect(a.http.get('/x')).rejects.toMatchObject({ code: 401 });
    expect(a.onAuthLost).toHaveBeenCalledTimes(1);
    expect(a.tokens.refreshToken()).toBeNull();
    expect(a.onError).not.toHaveBeenCalled();

    const b = setup((req) => (isRefresh(req) ? { code: 200, data: LOGIN } : { code: 401 }));
    await expect(b.http.get('/x')).rejects.toBeInstanceOf(ApiError);
    expect(b.calls.map((c) => c.url)).toEqual(['/api/x', '/api/refreshToken', '/api/x']);
    expect(b.onAuthLost).toHaveBeenCalledTimes(1);

    const c = setup(() => ({ code: 400, message: '未登录' }));
    await expect(c.http.get('/x')).rejects.toMatchObject({ code: 400, message: '未登录' });
    expect(c.onAuthLost).toHaveBeenCalledTimes(1);
    expect(c.tokens.accessToken()).toBeNull();

    const d = setup((req) => {
      if (isRefresh(req)) throw new Error('offline');
      return { code: 401 };
    });
    await expect(d.http.get('/x')).rejects.toMatchObject({ code: 401 });
    expect(d.onAuthLost).toHaveBeenCalledTimes(1);
  });

  it('business errors carry code and message and are reported unless silent', async () => {
    const { http, onError } = setup(() => ({ code: 500, message: '用户不存在' }));
    const err = await http.get('/x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ code: 500, message: '用户不存在' });
    await expect(http.get('/x', { silent: true })).rejects.toBeInstanceOf(ApiError);
    expect(onError).toHaveBeenCalledTimes(1);
    expect(onError.mock.calls[0]![0]).toBe(err);
  });

  it('no answer is a NetworkError; a body that is no envelope an ApiError with the HTTP status', async () => {
    const a = setup(() => Promise.reject(new Error('ECONNREFUSED')));
    const err = await a.http.get('/x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetworkError);
    expect((err as NetworkError).message).toBe('ECONNREFUSED');
    expect(a.onError).toHaveBeenCalledWith(err);

    const b = setup(() => Promise.resolve({ status: 502, body: '<html>Bad gateway</html>' }));
    await expect(b.http.get('/x')).rejects.toMatchObject({ code: 502, message: 'HTTP 502' });
  });

  it('passes timeouts and uploads to the transport', async () => {
    const { calls, transport } = fakeTransport(() => ({ code: 200, data: { originUrl: 'u' } }));
    const http = new HttpClient({
      baseUrl: '/api',
      transport,
      tokens: tokenStore(memoryStorage(), memoryStorage()),
      timeoutMs: 3000,
    });
    const api = createApi<string>(http, { terminal: 1 });
    await api.uploadImage('/tmp/a.png', 'a.png', { isPermanent: true, thumbSize: 20 });
    expect(calls[0]).toMatchObject({
      url: '/api/image/upload?isPermanent=true&thumbSize=20',
      files: [{ field: 'file', fileName: 'a.png', data: '/tmp/a.png' }],
      timeoutMs: 3000,
      body: undefined,
    });
    expect(calls[0]!.headers.accessToken).toBeUndefined();
    await api.uploadVideo('/tmp/v.mp4', 'v.mp4', '/tmp/c.jpg', {
      duration: 3.14159,
      width: 640.4,
      height: 0,
    });
    expect(calls[1]).toMatchObject({
      url: '/api/video/upload?isPermanent=false&duration=3.1&width=640',
      files: [
        { field: 'file', fileName: 'v.mp4' },
        { field: 'cover', fileName: 'cover.jpg', data: '/tmp/c.jpg' },
      ],
    });
    await api.login('alice', 'pw');
    expect(JSON.parse(calls[2]!.body!)).toEqual({ terminal: 1, userName: 'alice', password: 'pw' });
  });
});

describe('tokenStore', () => {
  it('remember me keeps only the refresh token beyond the tab, never a password', () => {
    const tab = memoryStorage();
    const persistent = memoryStorage();
    const tokens = tokenStore(tab, persistent);
    tokens.save({ accessToken: 'A', refreshToken: 'R' }, true);
    expect(persistent.getItem('refreshToken')).toBe('R');
    expect(persistent.getItem('accessToken')).toBeNull();
    tokens.save({ accessToken: 'A', refreshToken: 'R' }, false);
    expect(persistent.getItem('refreshToken')).toBeNull();
    expect(tokens.refreshToken()).toBe('R');
    tokens.clear();
    expect([tokens.accessToken(), tokens.refreshToken()]).toEqual([null, null]);
  });

  it('one storage for both (app): the login survives a restart', () => {
    const storage = memoryStorage();
    tokenStore(storage, storage).save({ accessToken: 'A', refreshToken: 'R' }, false);
    const again = tokenStore(storage, storage);
    expect([again.accessToken(), again.refreshToken()]).toEqual(['A', 'R']);
  });
});
