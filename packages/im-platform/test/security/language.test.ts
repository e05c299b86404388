/**
 * Language of error messages (issue 9, item 14): Chinese unless the request names English
 * in X-IM-Language; the browser's Accept-Language alone never switches it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '@box-im/im-platform/testing';

describe('message language', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { CORS_ORIGINS: 'http://web.example' } });
  });
  afterAll(() => t?.close());

  const wrongLogin = (headers: Record<string, string>) =>
    t.running.app.inject({
      method: 'POST',
      url: '/api/login',
      headers: { 'content-type': 'application/json', ...headers },
      payload: { terminal: 0, userName: 'nobody-here', password: 'x' },
    });

  it.each([
    ['no language header', {}, '用户不存在'],
    ['an English browser (box-im’s client)', { 'accept-language': 'en-US,en;q=0.9' }, '用户不存在'],
    [
      'X-IM-Language: zh in an English browser',
      { 'accept-language': 'en', 'x-im-language': 'zh' },
      '用户不存在',
    ],
    ['X-IM-Language: en', { 'x-im-language': 'en' }, 'The user does not exist'],
    [
      'X-IM-Language: en-US from a Chinese browser',
      { 'accept-language': 'zh-CN', 'x-im-language': 'en-US' },
      'The user does not exist',
    ],
    ['an unknown X-IM-Language', { 'x-im-language': 'fr' }, '用户不存在'],
  ])('%s', async (_name, headers, message) => {
    const res = await wrongLogin(headers);
    expect(res.json()).toMatchObject({ code: 500, message });
  });

  it('validation details follow the same rule', async () => {
    const browser = await wrongLogin({ 'accept-language': 'en' }).then(() =>
      t.running.app.inject({
        method: 'POST',
        url: '/api/login',
        headers: { 'accept-language': 'en' },
        payload: {},
      }),
    );
    expect(browser.json().message).toMatch(/^参数错误：/);
    const ours = await t.running.app.inject({
      method: 'POST',
      url: '/api/login',
      headers: { 'x-im-language': 'en' },
      payload: {},
    });
    expect(ours.json().message).toMatch(/^Invalid request: missing field/);
  });

  it('lets cross-origin clients send X-IM-Language (CORS preflight)', async () => {
    const res = await t.running.app.inject({
      method: 'OPTIONS',
      url: '/api/login',
      headers: {
        origin: 'http://web.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'x-im-language, content-type',
      },
    });
    expect(res.statusCode).toBe(204);
    expect(res.headers['access-control-allow-headers']).toMatch(/X-IM-Language/i);
  });
});
