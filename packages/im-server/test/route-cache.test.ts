import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Bus } from '@box-im/im-bus';
import { IMClient } from '@box-im/im-client';
import { RedisKey, SendCode, type IMSendResult } from '@box-im/im-common';
import { busWorlds, recordPushes, TestClient, until, type BusWorld, type TestNode } from './support';

/** `bus` whose notice handlers can be muted: the notices published meanwhile are lost for it. */
function lossyNotices(bus: Bus): { bus: Bus; mute: (on: boolean) => void } {
  let muted = false;
  const view = new Proxy(bus, {
    get(target, prop) {
      if (prop === 'subscribe') {
        return (channel: string, handler: (m: string) => void, options?: object) =>
          target.subscribe(channel, (m) => (muted ? undefined : handler(m)), options);
      }
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { bus: view, mute: (on) => void (muted = on) };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The pusher's route cache against two real push nodes: route changes reach it as notices,
 * a stale route is forwarded by the node that no longer holds the receiver, and a lost
 * notice is healed by the cache's time to live.
 */
describe.each(busWorlds())('route cache with two push nodes on the $name bus', ({ name, create }) => {
  const TTL_MS = 400;
  let world: BusWorld;
  let a: TestNode;
  let b: TestNode;
  let im: IMClient;
  let mute: (on: boolean) => void;
  let pushes: { queue: string; items: string[] }[];
  const results: IMSendResult[] = [];
  const clients: TestClient[] = [];
  const connect = async (node: TestNode, userId: number, terminal = 0) => {
    const client = await TestClient.connect(node.url, userId, terminal);
    clients.push(client);
    return client;
  };
  /** Close the user's socket on `node` and wait until its route is gone (a logout). */
  const logout = async (client: TestClient, node: TestNode, userId: number, terminal = 0) => {
    client.close();
    await until(async () => (await node.bus.get(RedisKey.userServerId(userId, terminal))) === null);
  };
  const group = (recvIds: number[], data: unknown) =>
    im.sendGroupMessage({ sender: { id: 999, terminal: 0 }, recvIds, sendToSelf: false, data });
  const frames = (client: TestClient) => client.received.filter((f) => f.cmd === 4).map((f) => f.data);

  beforeEach(async () => {
    world = create();
    a = await world.startNode();
    b = await world.startNode();
    pushes = [];
    results.length = 0;
    const lossy = lossyNotices(recordPushes(await world.connect(), pushes));
    mute = lossy.mute;
    im = new IMClient({ bus: lossy.bus, appName: 'im-platform', routeCacheMs: TTL_MS });
    im.onGroupResult((batch) => void results.push(...batch));
    im.start();
    await until(() => im.routeCacheEnabled);
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await im.stop();
    await world.dispose();
  });

  it('a user who logs out of node 1 and into node 2 gets the very next group message there, exactly once', async () => {
    const first = await connect(a, 31);
    await group([31, 32], 'm1'); // caches 31 → node 1 and 32 → offline
    expect(await first.nextFrame()).toEqual({ cmd: 4, data: 'm1' });

    await logout(first, a, 31);
    const moved = await connect(b, 31);
    const late = await connect(b, 32); // was cached offline
    pushes.length = 0;
    await group([31, 32], 'm2');
    expect(await moved.nextFrame()).toEqual({ cmd: 4, data: 'm2' });
    expect(await late.nextFrame()).toEqual({ cmd: 4, data: 'm2' });
    // Straight to node 2 (the notices dropped the cached routes): no job for node 1.
    expect(pushes.map((p) => p.queue)).toEqual([RedisKey.groupMessageQueue(b.server.serverId)]);

    await group([31, 32], 'm3');
    expect(await moved.nextFrame()).toEqual({ cmd: 4, data: 'm3' });
    expect(await late.nextFrame()).toEqual({ cmd: 4, data: 'm3' });
    expect(frames(moved)).toEqual(['m2', 'm3']);
    expect(frames(late)).toEqual(['m2', 'm3']);
  });

  it('with the notice lost, the stale route is forwarded by node 1, exactly once, and the cache heals within its time to live', async () => {
    const first = await connect(a, 41);
    await group([41, 42], 'm1');
    const cachedAt = Date.now();
    expect(await first.nextFrame()).toEqual({ cmd: 4, data: 'm1' });

    mute(true);
    await logout(first, a, 41);
    const moved = await connect(b, 41);
    const late = await connect(b, 42);
    pushes.length = 0;
    results.length = 0;
    await group([41, 42], 'm2');
    // 41: the cached route names node 1; node 1 answers "not here" by forwarding to node 2.
    expect(pushes.map((p) => p.queue)).toEqual([RedisKey.groupMessageQueue(a.server.serverId)]);
    expect(await moved.nextFrame()).toEqual({ cmd: 4, data: 'm2' });
    await until(() => results.some((r) => r.receiver.id === 41 && r.code === SendCode.SUCCESS));
    // 42: cached offline; the message takes the offline path (stored for the pull) until the
    // cache entry expires.
    expect(results.filter((r) => r.receiver.id === 42 && r.receiver.terminal === 0)).toEqual([
      expect.objectContaining({ code: SendCode.NOT_ONLINE }),
    ]);

    // The fallback bound: after the time to live every route is read again.
    await sleep(Math.max(0, cachedAt + TTL_MS + 20 - Date.now()));
    pushes.length = 0;
    await group([41, 42], 'm3');
    expect(pushes.map((p) => p.queue)).toEqual([RedisKey.groupMessageQueue(b.server.serverId)]);
    expect(await moved.nextFrame()).toEqual({ cmd: 4, data: 'm3' });
    expect(await late.nextFrame()).toEqual({ cmd: 4, data: 'm3' });
    expect(frames(moved)).toEqual(['m2', 'm3']);
    expect(frames(late)).toEqual(['m3']);
    expect(Date.now() - cachedAt).toBeLessThan(TTL_MS + 2000);
  });

  // The memory bus cannot lose a notice; Redis loses those published while the subscriber's
  // connection is down, and says so when it is back.
  it.skipIf(name === 'memory')(
    'notices lost while the pusher’s connection was down clear the cache once it is back, long before the time to live',
    async () => {
      const { bus, fault } = await world.connectFaulty();
      const pusher = new IMClient({ bus, appName: 'im-platform', routeCacheMs: 60_000 });
      pusher.start();
      try {
        await until(() => pusher.routeCacheEnabled);
        await pusher.sendGroupMessage({ sender: { id: 999, terminal: 0 }, recvIds: [61], data: 'm1' });
        fault.cut();
        const user = await connect(a, 61); // its notice is lost for the pusher
        fault.restore();
        const restoredAt = Date.now();
        let attempt = 0;
        await until(async () => {
          await pusher
            .sendGroupMessage({
              sender: { id: 999, terminal: 0 },
              recvIds: [61],
              sendResult: false,
              data: `try ${attempt++}`,
            })
            .catch(() => undefined); // the bus may still be reconnecting
          return user.received.some((f) => f.cmd === 4);
        }, 10_000);
        expect(Date.now() - restoredAt).toBeLessThan(10_000); // the time to live is 60 s
        // Each try is pushed at most once (a try sent before an earlier one arrived may arrive
        // too: the pusher's send resolves when the job is queued, not when it is delivered).
        const delivered = user.received.filter((f) => f.cmd === 4).map((f) => f.data);
        expect(new Set(delivered).size).toBe(delivered.length);
      } finally {
        await pusher.stop();
      }
    },
  );

  it('a cached route to a node that died is dropped by the liveness check', async () => {
    const user = await connect(a, 51);
    await group([51], 'm1');
    expect(await user.nextFrame()).toEqual({ cmd: 4, data: 'm1' });
    await until(() => results.some((r) => r.data === 'm1' && r.code === SendCode.SUCCESS));
    // The node's liveness key expires (a crash): once the pusher asks again (it remembers a
    // node seen alive for at most the cache's time to live), nothing more is queued for it.
    await a.bus.del(RedisKey.serverAlive(a.server.serverId));
    await sleep(TTL_MS + 20);
    pushes.length = 0;
    results.length = 0;
    await group([51], 'm2');
    expect(pushes).toEqual([]);
    expect(results.filter((r) => r.receiver.terminal === 0)).toEqual([
      expect.objectContaining({ code: SendCode.NOT_ONLINE }),
    ]);
  });
});
