/**
 * Faults of the push tier, with real sockets (and a real Redis for the node that dies):
 * - a node that stops answering (its Redis connection cut: it can neither renew its liveness
 *   key nor consume) gets nothing queued once its liveness key expired, and the routes of its
 *   users are removed by the first sender that finds them; the senders see NOT_ONLINE (the
 *   platform keeps the message for the offline pull);
 * - a client that does not read is cut at the send-buffer bound with 1013, and the node's
 *   memory does not grow with what is pushed to it.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Bus } from '@box-im/im-bus';
import { IMClient } from '@box-im/im-client';
import { CloseCode, RedisKey, SendCode } from '@box-im/im-common';
import type { BusFault } from './bus-fault';
import { busWorlds, TestClient, until, type BusWorld, type TestNode } from './support';

const sender = { id: 100, terminal: 0 };

/** A full garbage collection (V8's `gc`, exposed for this test only), so memory figures are what is retained. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

describe.each(busWorlds().filter((w) => w.name === 'redis'))(
  'a push node that dies, on the $name bus',
  ({ create }) => {
    let world: BusWorld;
    let bus: Bus;
    let im: IMClient;
    const clients: TestClient[] = [];
    beforeEach(async () => {
      world = create();
      bus = await world.connect();
      im = new IMClient({ bus, appName: 'im-platform' });
      im.start();
    });
    afterEach(async () => {
      for (const c of clients.splice(0)) c.close();
      await im.stop();
      await world.dispose();
    });

    it('gets nothing queued once its liveness key expired, and its routes are removed', async () => {
      const dying: TestNode & { fault: BusFault } = await world.startFaultyNode({ aliveTtlSeconds: 3 });
      const healthy = await world.startNode({ aliveTtlSeconds: 3 });
      clients.push(await TestClient.connect(dying.url, 1, 0));
      const other = await TestClient.connect(healthy.url, 2, 0);
      clients.push(other);
      const deadId = dying.server.serverId;
      const queue = RedisKey.privateMessageQueue(deadId);
      expect(await bus.get(RedisKey.serverAlive(deadId))).not.toBeNull();

      const results: SendCode[] = [];
      im.onPrivateResult(
        (batch) => void results.push(...batch.filter((r) => r.receiver.terminal === 0).map((r) => r.code)),
      );
      dying.fault.cut(); // the node no longer consumes nor renews its liveness key: dead to the cluster
      // While its key lives (≤ 3 s) pushes still queue for it: the bounded window.
      await im.sendPrivateMessage({ sender, recvId: 1, data: 'before expiry' });
      expect(await bus.length(queue)).toBe(1);

      await until(async () => (await bus.get(RedisKey.serverAlive(deadId))) === null, 6000, 100);
      // Its user's route is still there (route TTL 600 s): the sender finds it, skips the node, cleans it.
      expect(await bus.get(RedisKey.userServerId(1, 0))).toBe(String(deadId));
      for (let i = 0; i < 5; i++) await im.sendPrivateMessage({ sender, recvId: 1, data: `after ${i}` });
      expect(await bus.length(queue)).toBe(1); // the queue stopped growing
      expect(await bus.get(RedisKey.userServerId(1, 0))).toBeNull();
      expect(results.filter((c) => c === SendCode.NOT_ONLINE)).toHaveLength(5);
      expect(await im.isOnline(1)).toBe(false);

      // The living node is untouched: its user still gets pushes.
      await im.sendPrivateMessage({ sender, recvId: 2, data: 'to the living' });
      expect((await other.nextFrame()).data).toBe('to the living');
      expect(await bus.get(RedisKey.serverAlive(healthy.server.serverId))).not.toBeNull();
    });

    it('a node that shuts down removes its liveness key at once', async () => {
      const node = await world.startNode();
      const id = node.server.serverId;
      expect(await bus.get(RedisKey.serverAlive(id))).not.toBeNull();
      await node.close();
      expect(await bus.get(RedisKey.serverAlive(id))).toBeNull();
    });
  },
);

describe.each(busWorlds())('a client that does not read, on the $name bus', ({ create }) => {
  let world: BusWorld;
  let im: IMClient;
  beforeEach(async () => {
    world = create();
    im = new IMClient({ bus: await world.connect(), appName: 'im-platform' });
    im.start();
  });
  afterEach(async () => {
    await im.stop();
    await world.dispose();
  });

  it('is cut with 1013 at the send-buffer bound while the node’s memory stays flat', async () => {
    const bound = 256 * 1024;
    const node = await world.startNode({ sendBufferBytes: bound });
    const slow = await TestClient.connect(node.url, 7, 0);
    const reader = await TestClient.connect(node.url, 8, 0);
    // Stop reading: the kernel buffers fill, then the node's send buffer.
    const raw = (slow.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    raw.pause();

    const chunk = 'x'.repeat(64 * 1024);
    const pushes = 400; // 25 MB to a reader that takes none of it
    const retained = () => {
      collectGarbage();
      const m = process.memoryUsage();
      return m.heapUsed + m.arrayBuffers;
    };
    const before = retained();
    for (let i = 0; i < pushes; i++) {
      await im.sendPrivateMessage({ sender, recvId: 7, data: `${i}:${chunk}`, sendResult: false });
    }
    await until(() => Promise.resolve(node.server.connectionCount === 1), 10_000, 50);
    const grownMb = (retained() - before) / 2 ** 20;
    // Unbounded, the node would hold most of the 25 MB; bounded it holds at most `bound` per socket.
    expect(grownMb).toBeLessThan(8);
    const page = await node.server.registry.metrics();
    expect(page).toContain('im_ws_slow_readers_closed_total 1');

    // The well-behaved client on the same node is served as before.
    await im.sendPrivateMessage({ sender, recvId: 8, data: 'still here' });
    expect((await reader.nextFrame()).data).toBe('still here');

    // Once it reads again it finds its socket closed (1013, or cut after the grace) and reconnects.
    raw.resume();
    const closed = await slow.waitForClose(5000);
    expect([CloseCode.SLOW_CONSUMER, 1006]).toContain(closed.code);
    const again = await TestClient.connect(node.url, 7, 0);
    await im.sendPrivateMessage({ sender, recvId: 7, data: 'after reconnect' });
    expect((await again.nextFrame()).data).toBe('after reconnect');
    again.close();
    reader.close();
  });
});
