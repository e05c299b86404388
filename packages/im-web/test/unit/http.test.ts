/**
 * The web wiring of the core's HTTP client: fetch as the transport, the tab's storages for
 * tokens. The envelope rules themselves are tested in the core.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, NetworkError } from '@box-im/im-app-core';
import { api } from '../../src/api';
import { http } from '../../src/api/http';
import { tokens } from '../../src/api/token';
import { setLocale } from '../../src/i18n';

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

describe('http over fetch', () => {
  beforeEach(() => {
    sessionStorage.clear();
    localStorage.clear();
  });
  afterEach(() => vi.unstubAllGlobals());

  it('unwraps data and sends the access token from sessionStorage', async () => {
    tokens.save({ accessToken: 'A1', refreshToken: 'R1' }, false);
    const calls = mockFetch(() => ({ code: 200, data: { id: 7 } }));
    await expect(api.findUser(7)).resolves.toEqual({ id: 7 });
    expect(calls[0]!.url).toBe('/api/user/find/7');
    expect(header(calls[0]!.init, 'accessToken')).toBe('A1');
  });

  it('names the UI language in X-IM-Language, following a switch', async () => {
    tokens.save({ accessToken: 'A1', refreshToken: 'R1' }, false);
    const calls = mockFetch(() => ({ code: 200, data: { id: 7 } }));
    setLocale('en');
    await api.findUser(7);
    setLocale('zh');
    await api.findUser(7);
    expect(calls.map((c) => header(c.init, 'X-IM-Language'))).toEqual(['en', 'zh']);
  });

  it('on 401 refreshes once and keeps the remembered refresh token in localStorage', async () => {
    tokens.save({ accessToken: 'old', refreshToken: 'R1' }, true);
    const calls = mockFetch((url, init) => {
      if (url === '/api/refreshToken') {
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
    expect(calls.filter((c) => c.url === '/api/refreshToken')).toHaveLength(1);
    expect(sessionStorage.getItem('accessToken')).toBe('new');
    expect(localStorage.getItem('refreshToken')).toBe('R2');
  });

  it('uploads Blobs as multipart form data', async () => {
    const calls = mockFetch(() => ({ code: 200, data: '/files/a.txt' }));
    await api.uploadFile(new Blob(['hello']), 'a.txt');
    const body = calls[0]!.init.body as FormData;
    expect(body).toBeInstanceOf(FormData);
    // (happy-dom drops the file name of a Blob part; browsers keep it)
    expect((body.get('file') as Blob).size).toBe(5);
    expect(header(calls[0]!.init, 'Content-Type')).toBeUndefined();
  });

  it('a failed fetch is a NetworkError; a non-JSON answer an ApiError with the status', async () => {
    vi.stubGlobal('fetch', () => Promise.reject(new TypeError('Failed to fetch')));
    await expect(http.get('/x', { silent: true })).rejects.toBeInstanceOf(NetworkError);
    vi.stubGlobal('fetch', () => Promise.resolve(new Response('<html>', { status: 502 })));
    await expect(http.get('/x', { silent: true })).rejects.toEqual(new ApiError(502, 'HTTP 502'));
  });

  it('remember me keeps only the refresh token, never the password', () => {
    tokens.save({ accessToken: 'A', refreshToken: 'R' }, true);
    const stored = JSON.stringify({ ...localStorage });
    expect(stored).toContain('R');
    expect(stored).not.toMatch(/password/i);
    tokens.save({ accessToken: 'A', refreshToken: 'R' }, false);
    expect(localStorage.getItem('refreshToken')).toBeNull();
  });
});
