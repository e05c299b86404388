/**
 * The delivery guarantee: whatever the live path lost, a client that pulls with the highest
 * id it holds gets every message it missed, in order, exactly once.
 */
import { RedisKey } from '@box-im/im-common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestServer, type TestServer } from '../../testing';
import { S, T, friends, isChat, msg, text, type Msg } from './support';

/** Insert `n` messages a → b (and every 3rd b → a) straight into the table, in batches. */
async function seed(t: TestServer, a: number, b: number, n: number): Promise<void> {
  const db = t.running.ctx.db.db;
  const now = new Date();
  for (let i = 0; i < n; i += 500) {
    const batch = Array.from({ length: Math.min(500, n - i) }, (_, j) => {
      const k = i + j;
      const back = k % 3 === 2;
      return {
        tmp_id: `seed-${k}`,
        send_id: back ? b : a,
        recv_id: back ? a : b,
        content: `backlog message number ${k} with some text to make it realistic`,
        type: T.TEXT,
        status: S.PENDING,
        send_time: now,
      };
    });
    await db.insertInto('im_private_message').values(batch).execute();
  }
}

describe.each(ENGINES)('offline delivery (%s)', (engine) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ engine });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('a receiver offline during 200 sends gets all 200 on reconnect, in order, once', async () => {
    const [alice, bob] = await friends(t);
    const start = (await bob.api.get('/message/private/loadOfflineMessage?minId=0')).data as Msg[];
    const minId = Math.max(...start.map((m) => m.id));
    const sent: number[] = [];
    for (let i = 0; i < 200; i++)
      sent.push(
        ((await alice.api.post('/message/private/send', text(bob.id, `m${i}`, `o-${i}`))).data as Msg).id,
      );

    const socket = await bob.socket();
    const pulled = (await bob.api.get(`/message/private/loadOfflineMessage?minId=${minId}`)).data as Msg[];
    expect(pulled.map((m) => m.id)).toEqual(sent);
    expect(pulled.map((m) => m.content)).toEqual(sent.map((_, i) => `m${i}`));
    expect(await socket.settle(isChat, 200)).toHaveLength(0);
    const again = (await bob.api.get(`/message/private/loadOfflineMessage?minId=${sent.at(-1)}`)).data;
    expect(again).toEqual([]);
    socket.close();
  });

  it('recovers a push lost in a dead push node queue even after the cursor moved past it', async () => {
    const [alice, bob] = await friends(t);
    const socket = await bob.socket();
    await bob.api.get('/message/private/loadOfflineMessage?minId=0'); // what the client does on connect
    const bus = t.running.ctx.bus;
    const route = RedisKey.userServerId(bob.id, 0);
    const live = await bus.get(route);
    // Bob's route points at a node that died with its queue: the push is lost.
    await bus.set(route, '999999');
    const lost = (await alice.api.post('/message/private/send', text(bob.id, 'lost'))).data as Msg;
    await bus.set(route, live!);
    const seen = (await alice.api.post('/message/private/send', text(bob.id, 'seen'))).data as Msg;
    expect(msg(await socket.next(isChat)).id).toBe(seen.id);
    expect(await socket.settle((f) => isChat(f) && msg(f).id === lost.id, 100)).toHaveLength(0);

    // The client's cursor is now past the lost message; the pull still hands it over, once.
    const pulled = (await bob.api.get(`/message/private/loadOfflineMessage?minId=${seen.id}`)).data as Msg[];
    expect(pulled.map((m) => m.id)).toEqual([lost.id]);
    expect((await bob.api.get(`/message/private/loadOfflineMessage?minId=${seen.id}`)).data).toEqual([]);
    socket.close();
  });

  it('pages through a large backlog in both directions without losing or repeating a row', async () => {
    const [alice, bob] = await friends(t);
    const n = 2500;
    await seed(t, alice.id, bob.id, n);
    const pulled = (await bob.api.get('/message/private/loadOfflineMessage?minId=0')).data as Msg[];
    const seeded = pulled.filter((m) => m.tmpId?.startsWith('seed-'));
    expect(seeded).toHaveLength(n);
    expect(seeded.map((m) => m.tmpId)).toEqual(Array.from({ length: n }, (_, k) => `seed-${k}`));
    const ids = pulled.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });
});

describe('offline pull memory (sqlite, 50k messages)', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ engine: 'sqlite' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('streams 50 000 messages with a bounded heap', { timeout: 120_000 }, async () => {
    const [alice, bob] = await friends(t);
    const n = 50_000;
    await seed(t, alice.id, bob.id, n);

    const baseline = process.memoryUsage().heapUsed;
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 2);
    const started = performance.now();
    const res = await fetch(`${t.url}/api/message/private/loadOfflineMessage?minId=0`, {
      headers: { accessToken: bob.api.accessToken! },
    });
    // Keep the body as raw bytes (off the JS heap) so the sample measures the server side.
    const chunks: Buffer[] = [];
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      chunks.push(Buffer.from(chunk));
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    }
    const elapsed = performance.now() - started;
    clearInterval(sampler);
    const bytes = chunks.reduce((s, c) => s + c.length, 0);
    const growthMb = (peak - baseline) / 1024 / 1024;
    console.log(
      `[offline-pull] ${n} messages, ${(bytes / 1024 / 1024).toFixed(1)} MB body, ${elapsed.toFixed(0)} ms, ` +
        `heap growth during pull ${growthMb.toFixed(1)} MB`,
    );
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { code: number; data: Msg[] };
    expect(body.code).toBe(200);
    expect(body.data.filter((m) => m.tmpId?.startsWith('seed-'))).toHaveLength(n);
    // The whole response as objects would take well over 50 MB of heap.
    expect(growthMb).toBeLessThan(40);
  });
});
