/**
 * Every API route (read from the OpenAPI document, so new routes are covered as they are
 * added) gets malformed paths, queries and bodies. Each answer must be the envelope with
 * HTTP 200 and a message; none may be an unhandled error ("system busy").
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestUser } from '@box-im/im-platform/testing';

function* badValues(): Generator<unknown> {
  yield null;
  yield [];
  yield 'text';
  yield 12;
  yield -1;
  yield Number.MAX_VALUE;
  yield 2 ** 63;
  yield true;
  yield { nested: { deeper: [1, { x: null }] } };
  yield 'x'.repeat(5000);
  yield '"><script>alert(1)</script>';
  yield '../../etc/passwd';
}

function randomObject(seed: number): Record<string, unknown> {
  const keys = [
    'id',
    'recvId',
    'groupId',
    'friendId',
    'content',
    'type',
    'tmpId',
    'userIds',
    'friendIds',
    'name',
    'isDnd',
    'terminal',
    'userName',
    'password',
    'nickName',
    'atUserIds',
    'receipt',
    'page',
    'size',
  ];
  const values = [...badValues()];
  const out: Record<string, unknown> = {};
  for (let i = 0; i < 6; i++) {
    const k = keys[(seed * 7 + i * 13) % keys.length]!;
    out[k] = values[(seed * 11 + i * 5) % values.length];
  }
  return out;
}

const PATH_PARAMS = ['abc', '-1', '0', '99999999999999999999', '1.5', '%00', '..%2F..%2Fetc'];
const QUERIES = [
  '',
  '?id=abc',
  '?minId=-1',
  '?friendId=1e99&page=x&size=-5',
  '?groupId=&messageId=abc',
  '?userIds=,,,',
  '?name=' + 'x'.repeat(300),
  '?isPermanent=maybe&thumbSize=-1',
];

describe('HTTP fuzz', () => {
  let t: TestApp;
  let user: TestUser;
  let routes: { method: string; path: string }[];
  beforeAll(async () => {
    t = await startTestApp();
    user = await t.newUser('fuzz');
    const doc = (await t.running.app.inject('/api/doc')).json<{
      paths: Record<string, Record<string, unknown>>;
    }>();
    routes = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => ({
        method: method.toUpperCase(),
        path: path.replace(/^\/api/, ''),
      })),
    );
  });
  afterAll(() => t.close());

  it('never answers a malformed request with an unhandled error', async () => {
    expect(routes.length).toBeGreaterThan(5);
    const failures: string[] = [];
    let requests = 0;
    for (const { method, path } of routes) {
      if (path === '/modifyPwd') continue; // would lock the fuzz user out of the next requests
      for (let i = 0; i < PATH_PARAMS.length; i++) {
        const concrete = path.replace(/\{[^}]+\}/g, PATH_PARAMS[i]!);
        for (const [j, query] of QUERIES.entries()) {
          const body =
            method === 'GET'
              ? undefined
              : j % 2 === 0
                ? randomObject(i * 31 + j)
                : [...badValues()][(i + j) % 12];
          const res = await user.api.request(method, concrete + query, body);
          requests++;
          const key = res.headers.get('x-error-key');
          if (res.status !== 200 || typeof res.code !== 'number' || !res.message || key === 'INTERNAL') {
            failures.push(`${method} ${concrete}${query} → ${res.status} ${res.code} ${key} ${res.message}`);
          }
        }
      }
    }
    expect(failures, failures.slice(0, 10).join('\n')).toEqual([]);
    expect(requests).toBeGreaterThan(100);
  }, 180_000);
});
