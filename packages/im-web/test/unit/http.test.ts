import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, hooks, http } from '../../src/api/http';
import { getAccessToken, getRefreshToken, isRemembered, saveTokens } from '../../src/api/token';

type Handler = (url: string, init: RequestInit) => { code: number; message?: string; data?: unknown };

function mockFetch(handler: Handler) {
  const calls: { url: string; init: RequestInit }[] = [];
  vi.stubGlobal('fetch', (url: string, init: RequestInit) => {
    calls.push({ url, init });
    const body = handler(url, init);
    return Promise.resolve(
      new Response(JSON.stringify({ message: '', data: null, ...body }), { status: 200 }),
    );
  });
  return calls;
}
const header = (init: RequestInit, name: string) => (init.headers as Record<string, string>)[name];

describe('http client', () => {
  beforeEach(() => {
    sessionStorage.clear();
    localStorage.clear();
  });
  afterEach(() => vi.unstubAllGlobals());

  it('unwraps data and sends the access token', async () => {
    saveTokens({ accessToken: 'A1', refreshToken: 'R1' }, false);
    const calls = mockFetch(() => ({ code: 200, data: { id: 7 } }));
    await expect(http.get('/user/self')).resolves.toEqual({ id: 7 });
    expect(calls[0]!.url).toBe('/api/user/self');
    expect(header(calls[0]!.init, 'accessToken')).toBe('A1');
  });

  it('on 401 refreshes once (shared by concurrent calls) and replays', async () => {
    saveTokens({ accessToken: 'old', refreshToken: 'R1' }, true);
    let refreshes = 0;
    const calls = mockFetch((url, init) => {
      if (url === '/api/refreshToken') {
        refreshes++;
        expect(header(init, 'refreshToken')).toBe('R1');
        return {
          code: 200,
          data: { accessToken: 'new', refreshToken: 'R2', accessTokenExpiresIn: 1, refreshTokenExpiresIn: 1 },
        };
      }
      return header(init, 'accessToken') === 'new'
        ? { code: 200, data: url }
        : { code: 401, message: 'expired' };
    });
    const [a, b] = await Promise.all([http.get('/a'), http.get('/b')]);
    expect([a, b]).toEqual(['/api/a', '/api/b']);
    expect(refreshes).toBe(1);
    expect(getAccessToken()).toBe('new');
    expect(getRefreshToken()).toBe('R2');
    expect(isRemembered()).toBe(true);
    expect(calls.length).toBe(5);
  });

  it('a failed refresh or code 400 ends the session', async () => {
    saveTokens({ accessToken: 'old', refreshToken: 'R1' }, true);
    const lost = vi.fn();
    hooks.onAuthLost = lost;
    mockFetch((url) => (url === '/api/refreshToken' ? { code: 500, message: 'expired' } : { code: 401 }));
    await expect(http.get('/x')).rejects.toBeInstanceOf(ApiError);
    expect(lost).toHaveBeenCalledTimes(1);
    expect(getRefreshToken()).toBeNull();
    mockFetch(() => ({ code: 400, message: '未登录' }));
    await expect(http.get('/x')).rejects.toMatchObject({ code: 400 });
    expect(lost).toHaveBeenCalledTimes(2);
  });

  it('business errors are toasted unless silent', async () => {
    const onError = vi.fn();
    hooks.onError = onError;
    mockFetch(() => ({ code: 500, message: '用户不存在' }));
    await expect(http.get('/x')).rejects.toMatchObject({ code: 500, message: '用户不存在' });
    await expect(http.get('/x', { silent: true })).rejects.toBeInstanceOf(ApiError);
    expect(onError).toHaveBeenCalledTimes(1);
    expect(onError).toHaveBeenCalledWith('用户不存在');
  });

  it('remember me keeps only the refresh token, never the password', () => {
    saveTokens({ accessToken: 'A', refreshToken: 'R' }, true);
    const stored = JSON.stringify({ ...localStorage });
    expect(stored).toContain('R');
    expect(stored).not.toMatch(/password/i);
    saveTokens({ accessToken: 'A', refreshToken: 'R' }, false);
    expect(localStorage.getItem('refreshToken')).toBeNull();
  });
});
