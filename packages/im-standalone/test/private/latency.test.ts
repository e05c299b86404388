/**
 * Send latency figures (logged) with a loose bound: HTTP round trip of `/message/private/send`
 * (stored before it answers) and send → frame on the receiver's socket.
 */
import { afterAll, describe, expect, it } from 'vitest';
import {
  ENGINES,
  REDIS_URL,
  startCluster,
  startTestServer,
  type TestSocket,
  type TestUser,
} from '../../testing';
import { friends, isChat, msg, text, type Msg } from './support';

const N = 300;

function pct(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function measure(label: string, alice: TestUser, bob: TestUser, socket: TestSocket): Promise<void> {
  const http: number[] = [];
  const push: number[] = [];
  for (let i = 0; i < N; i++) {
    const started = performance.now();
    const frame = socket.next((f) => isChat(f) && msg(f).content === `lat${i}`);
    const res = await alice.api.post<Msg>('/message/private/send', text(bob.id, `lat${i}`));
    http.push(performance.now() - started);
    expect(res.code).toBe(200);
    await frame;
    push.push(performance.now() - started);
  }
  const f = (v: number) => v.toFixed(1);
  console.log(
    `[send-latency] ${label}: ${N} sequential sends; HTTP p50 ${f(pct(http, 50))} ms p95 ${f(pct(http, 95))} ms p99 ${f(pct(http, 99))} ms; ` +
      `send→frame p50 ${f(pct(push, 50))} ms p95 ${f(pct(push, 95))} ms`,
  );
  expect(pct(http, 50)).toBeLessThan(250);
}

describe.each(ENGINES)('send latency, standalone (%s)', (engine) => {
  const close: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of close) await c();
  });

  it('measures', { timeout: 120_000 }, async () => {
    const t = await startTestServer({ engine });
    close.push(() => t.close());
    const [alice, bob] = await friends(t);
    const socket = await bob.socket();
    await measure(`standalone ${engine}`, alice, bob, socket);
    socket.close();
  });
});

describe.skipIf(!REDIS_URL).each(ENGINES.filter((e) => e !== 'sqlite'))(
  'send latency, cluster (%s + redis)',
  (engine) => {
    const close: (() => Promise<void>)[] = [];
    afterAll(async () => {
      for (const c of close) await c();
    });

    it('measures', { timeout: 120_000 }, async () => {
      const c = await startCluster({ engine });
      close.push(() => c.close());
      const [alice, bob] = await friends(c);
      const socket = await bob.socketAt(1);
      await measure(`cluster ${engine}`, alice, bob, socket);
      socket.close();
    });
  },
);
