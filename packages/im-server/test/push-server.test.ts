import { request } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IMClient } from '@box-im/im-client';
import { CloseCode, FORCE_LOGOUT_TEXT, RedisKey, SendCode, type IMSendResult } from '@box-im/im-common';
import { busWorlds, signToken, TestClient, until, type BusWorld, type TestNode } from './support';

describe.each(busWorlds())('PushServer on the $name bus', ({ create }) => {
  let world: BusWorld;
  let node: TestNode;
  let im: IMClient;
  const clients: TestClient[] = [];
  const connect = async (userId: number, terminal: number, devId?: string | number) => {
    const client = await TestClient.connect(node.url, userId, terminal, devId);
    clients.push(client);
    return client;
  };
  const open = async (url = node.url) => {
    const client = await TestClient.open(url);
    clients.push(client);
    return client;
  };
  const route = (userId: number, terminal: number) => node.bus.get(RedisKey.userServerId(userId, terminal));

  beforeEach(async () => {
    world = create();
    node = await world.startNode();
    im = new IMClient({ bus: await world.connect(), appName: 'im-platform' });
    im.start();
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await im.stop();
    await world.dispose();
  });

  describe('login', () => {
    it('acks a valid token and records the route while connected', async () => {
      const alice = await connect(1, 0);
      expect(alice.received).toEqual([{ cmd: 0, data: null }]);
      expect(await route(1, 0)).toBe(String(node.server.serverId));
      expect(node.server.connectionCount).toBe(1);

      alice.close();
      await alice.waitForClose();
      await until(async () => (await route(1, 0)) === null);
      expect(node.server.connectionCount).toBe(0);
    });

    it('accepts extra top-level fields and a string devId', async () => {
      const client = await open();
      client.send({
        cmd: 0,
        data: { accessToken: await signToken(2, 1), devId: 'phone-1' },
        extra: { x: 1 },
      });
      expect(await client.nextFrame()).toEqual({ cmd: 0, data: null });
    });

    it.each([
      ['a garbage token', () => Promise.resolve('not-a-jwt')],
      ['a token signed with another secret', () => signToken(3, 0, { secret: 'another-secret-xx' })],
      ['an expired token', () => signToken(3, 0, { expiresInSeconds: -10 })],
      ['a token for an unknown terminal', () => signToken(3, 7)],
    ])('closes with 4001 and no reply on %s', async (_label, makeToken) => {
      const client = await open();
      client.send({ cmd: 0, data: { accessToken: await makeToken(), devId: 1 } });
      expect((await client.waitForClose()).code).toBe(CloseCode.UNAUTHORIZED);
      expect(client.received).toEqual([]);
      expect(await route(3, 0)).toBeNull();
    });

    it('closes with 4001 when the login data has no token', async () => {
      const client = await open();
      client.send({ cmd: 0, data: 'hello' });
      expect((await client.waitForClose()).code).toBe(CloseCode.UNAUTHORIZED);
      expect(client.received).toEqual([]);
    });

    it('a second login on the same terminal force-logs-out the first (cmd 2, then 3000)', async () => {
      const first = await connect(4, 0, 111);
      const second = await connect(4, 0, 222);
      expect(await first.nextFrame()).toEqual({ cmd: 2, data: FORCE_LOGOUT_TEXT });
      expect((await first.waitForClose()).code).toBe(CloseCode.INTENTIONAL);
      expect(second.isOpen).toBe(true);
      expect(await route(4, 0)).toBe(String(node.server.serverId));

      // The stale socket's close did not take the route: pushes reach the new socket.
      await im.sendSystemMessage({ recvIds: [4], data: { n: 1 } });
      expect(await second.nextFrame()).toEqual({ cmd: 5, data: { n: 1 } });
    });

    it('the same device reconnecting replaces the old socket silently', async () => {
      const first = await connect(5, 1, 'dev-A');
      const second = await connect(5, 1, 'dev-A');
      expect((await first.waitForClose()).code).toBe(CloseCode.INTENTIONAL);
      expect(first.received).toEqual([{ cmd: 0, data: null }]); // no cmd 2
      expect(await route(5, 1)).toBe(String(node.server.serverId));
      expect(second.isOpen).toBe(true);
    });

    it('a re-login on the same socket as another user moves the route', async () => {
      const client = await connect(6, 0);
      await client.login(await signToken(7, 0));
      expect(await route(6, 0)).toBeNull();
      expect(await route(7, 0)).toBe(String(node.server.serverId));
      await im.sendSystemMessage({ recvIds: [6, 7], data: 'x' });
      expect(await client.nextFrame()).toEqual({ cmd: 5, data: 'x' });
      expect(client.received.filter((f) => f.cmd === 5)).toHaveLength(1);
    });
  });

  describe('heartbeat and idle timeout', () => {
    it('answers a heartbeat with a pong', async () => {
      const client = await connect(10, 0);
      client.send({ cmd: 1, data: {} });
      expect(await client.nextFrame()).toEqual({ cmd: 1, data: null });
    });

    it('closes an idle socket with 4008; heartbeats keep it alive', async () => {
      await node.close();
      node = await world.startNode({ idleTimeoutMs: 300 });
      const client = await connect(11, 0);
      const beats = setInterval(() => client.send({ cmd: 1, data: {} }), 100);
      try {
        await new Promise((r) => setTimeout(r, 900)); // three idle periods of heartbeats
        expect(client.isOpen).toBe(true);
      } finally {
        clearInterval(beats);
      }
      const silentSince = Date.now();
      expect((await client.waitForClose()).code).toBe(CloseCode.IDLE_TIMEOUT);
      expect(Date.now() - silentSince).toBeGreaterThanOrEqual(150);
      await until(async () => (await route(11, 0)) === null);
    });

    it('closes a socket that never logs in, even if it sends heartbeats', async () => {
      await node.close();
      node = await world.startNode({ idleTimeoutMs: 300 });
      const client = await open();
      const beats = setInterval(() => client.send({ cmd: 1, data: {} }), 100);
      try {
        expect((await client.waitForClose()).code).toBe(CloseCode.IDLE_TIMEOUT);
      } finally {
        clearInterval(beats);
      }
    });

    it('heartbeats renew the route before its ttl runs out', async () => {
      await node.close();
      node = await world.startNode({ onlineTtlSeconds: 1 });
      const client = await connect(12, 0);
      const beats = setInterval(() => client.send({ cmd: 1, data: {} }), 100);
      try {
        await new Promise((r) => setTimeout(r, 1600)); // longer than the 1 s ttl
        expect(await route(12, 0)).toBe(String(node.server.serverId));
      } finally {
        clearInterval(beats);
      }
    });
  });

  describe('delivery', () => {
    it('delivers a system message sent with IMClient, keeping null fields', async () => {
      const client = await connect(20, 0);
      const data = { id: 9, content: 'hello', type: 0, sendTime: 1_700_000_000_000, extra: null };
      await im.sendSystemMessage({ recvIds: [20], data });
      expect(await client.nextFrame()).toEqual({ cmd: 5, data });
    });

    it('delivers a push from IMClient to the socket quickly (median of 50)', async () => {
      const client = await connect(27, 0);
      const latencies: number[] = [];
      for (let i = 0; i < 50; i++) {
        const sentAt = performance.now();
        await im.sendSystemMessage({ recvIds: [27], recvTerminals: [0], sendResult: false, data: i });
        expect(await client.nextFrame()).toEqual({ cmd: 5, data: i });
        latencies.push(performance.now() - sentAt);
      }
      latencies.sort((x, y) => x - y);
      const median = latencies[25]!;
      console.log(
        `push latency IMClient → socket: median ${median.toFixed(2)} ms, max ${latencies[49]!.toFixed(2)} ms`,
      );
      expect(median).toBeLessThan(50);
    });

    it('reaches both the web and the app terminal of one user', async () => {
      const web = await connect(21, 0);
      const app = await connect(21, 1);
      await im.sendPrivateMessage({
        sender: { id: 22, terminal: 0 },
        recvId: 21,
        data: { id: 1, content: 'hi' },
      });
      expect(await web.nextFrame()).toEqual({ cmd: 3, data: { id: 1, content: 'hi' } });
      expect(await app.nextFrame()).toEqual({ cmd: 3, data: { id: 1, content: 'hi' } });
    });

    it('reports SUCCESS from the node and NOT_ONLINE at once to the result listeners', async () => {
      await connect(23, 0);
      const results: IMSendResult[] = [];
      im.onPrivateResult((batch) => void results.push(...batch));
      await im.sendPrivateMessage({ sender: { id: 24, terminal: 0 }, recvId: 23, data: { id: 5 } });
      await until(() => results.length === 3);
      const byTerminal = new Map(results.map((r) => [r.receiver.terminal, r.code]));
      expect(byTerminal).toEqual(
        new Map([
          [0, SendCode.SUCCESS],
          [1, SendCode.NOT_ONLINE],
          [2, SendCode.NOT_ONLINE],
        ]),
      );
      expect(results.every((r) => r.sender?.id === 24 && (r.data as { id: number }).id === 5)).toBe(true);
    });

    it('reports NOT_FIND_CHANNEL when the route outlived the socket', async () => {
      // A route left behind by a crashed socket: the key says "here" but no socket exists.
      await node.bus.set(RedisKey.userServerId(25, 0), String(node.server.serverId), { ttlMs: 60_000 });
      const results: IMSendResult[] = [];
      im.onPrivateResult((batch) => void results.push(...batch));
      await im.sendPrivateMessage({
        sender: { id: 26, terminal: 0 },
        recvId: 25,
        recvTerminals: [0],
        data: 1,
      });
      await until(() => results.length === 1);
      expect(results[0]!.code).toBe(SendCode.NOT_FIND_CHANNEL);
    });
  });

  describe('upgrade and shutdown', () => {
    it('refuses upgrades on other paths', async () => {
      const status = await new Promise<number>((resolve, reject) => {
        const req = request(node.url.replace('ws:', 'http:').replace('/im', '/other'), {
          headers: {
            Connection: 'Upgrade',
            Upgrade: 'websocket',
            'Sec-WebSocket-Version': '13',
            'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
          },
        });
        req.on('response', (res) => resolve(res.statusCode ?? 0));
        req.on('upgrade', () => reject(new Error('upgraded')));
        req.on('error', reject);
        req.end();
      });
      expect(status).toBe(404);
    });

    it('close() sends 1012 to every client and removes their routes', async () => {
      const a = await connect(30, 0);
      const b = await connect(31, 2);
      const unauthenticated = await open();
      await node.close();
      expect((await a.waitForClose()).code).toBe(CloseCode.SERVER_RESTART);
      expect((await b.waitForClose()).code).toBe(CloseCode.SERVER_RESTART);
      expect((await unauthenticated.waitForClose()).code).toBe(CloseCode.SERVER_RESTART);
      expect(await route(30, 0)).toBeNull();
      expect(await route(31, 2)).toBeNull();
      expect(node.server.connectionCount).toBe(0);
    });
  });
});
