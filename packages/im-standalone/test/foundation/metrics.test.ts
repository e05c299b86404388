/**
 * `GET /metrics` of the standalone process after real traffic (an HTTP login, two sockets, a
 * private message pushed): the platform's and the push node's series are there with the
 * values that traffic must have produced, next to Node's default metrics.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../testing';
import { isChat, msg, text } from '../private/support';

/** The value of the sample `name{labels}` in a Prometheus text page (labels in any order). */
function sample(page: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of page.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries(
      [...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]),
    );
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3]);
  }
  return undefined;
}

describe('metrics of the standalone process', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('counts connections, logins, pushes, HTTP latency by route and status, the pool and event-loop lag', async () => {
    const alice = await t.newUser('alice');
    const bob = await t.newUser('bob');
    await t.befriend(alice, bob);
    const a = await alice.socket();
    const b = await bob.socket();
    await alice.api.post('/message/private/send', text(bob.id, 'metered'));
    expect(msg(await b.next(isChat)).content).toBe('metered');
    await alice.api.get('/no/such/route');

    const res = await fetch(`${t.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const page = await res.text();

    expect(sample(page, 'im_ws_connections')).toBe(2);
    expect(sample(page, 'im_ws_logins_total', { result: 'ok' })).toBe(2);
    expect(sample(page, 'im_pushes_total', { kind: 'private', result: 'sent' })).toBeGreaterThanOrEqual(1);
    expect(sample(page, 'im_push_delivery_seconds_count', { kind: 'private' })).toBeGreaterThanOrEqual(1);
    expect(sample(page, 'im_push_queue_depth', { queue: 'private' })).toBe(0);
    expect(
      sample(page, 'http_request_duration_seconds_count', {
        method: 'POST',
        route: '/api/login',
        status_code: '200',
      }),
    ).toBe(2);
    expect(
      sample(page, 'http_request_duration_seconds_count', {
        method: 'POST',
        route: '/api/message/private/send',
        status_code: '200',
      }),
    ).toBe(1);
    expect(sample(page, 'http_request_duration_seconds_count', { route: 'unmatched' })).toBe(1);
    expect(sample(page, 'im_db_pool_connections', { state: 'total' })).toBe(1);
    expect(sample(page, 'nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(sample(page, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(page).toContain('# TYPE im_http_errors_total counter');
    a.close();
    b.close();
  });
});
