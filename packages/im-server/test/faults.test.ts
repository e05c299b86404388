/**
 * The push node when its bus goes away (socket.io's Redis adapter tests have the same two
 * cases): during a login the socket is closed with 1011 and the client reconnects later;
 * during delivery the node keeps its sockets and local state, logs the errors, and picks up
 * again when the bus is back. Nothing crashes, no promise is left unhandled.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Bus } from '@box-im/im-bus';
import { IMClient } from '@box-im/im-client';
import { CloseCode, RedisKey } from '@box-im/im-common';
import type { BusFault } from './bus-fault';
import {
  busWorlds,
  captureLogs,
  signToken,
  TestClient,
  until,
  type BusWorld,
  type TestNode,
} from './support';

const ERROR = 50;

describe.each(busWorlds())('push node with its bus down, on the $name bus', ({ create }) => {
  let world: BusWorld;
  let node: TestNode & { fault: BusFault };
  let logs: ReturnType<typeof captureLogs>;
  let im: IMClient;
  /** The world's own bus connection, which stays up. */
  let bus: Bus;
  const clients: TestClient[] = [];
  const connect = async (userId: number, terminal = 0) => {
    const client = await TestClient.connect(node.url, userId, terminal);
    clients.push(client);
    return client;
  };
  const errors = () => logs.entries.filter((e) => e.level >= ERROR).map((e) => e.msg);
  const route = (userId: number) => bus.get(RedisKey.userServerId(userId, 0));

  beforeEach(async () => {
    world = create();
    logs = captureLogs();
    // A 1 s route ttl: heartbeats renew every 250 ms, and routes lapse during the outage.
    node = await world.startFaultyNode({ logger: logs.logger, onlineTtlSeconds: 1 });
    bus = await world.connect();
    im = new IMClient({ bus, appName: 'im-platform' });
    im.start();
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await im.stop();
    await world.dispose();
  });

  it('during a login: the socket is closed with 1011, nothing is written, and a later login works', async () => {
    node.fault.cut();
    const client = await TestClient.open(node.url);
    clients.push(client);
    client.send({ cmd: 0, data: { accessToken: await signToken(1, 0), devId: 1 } });
    expect((await client.waitForClose(5000)).code).toBe(CloseCode.SERVER_ERROR);
    expect(client.received).toEqual([]);
    expect(errors()).toContain('login failed');
    await until(() => node.server.connectionCount === 0);
    expect(await route(1)).toBeNull();

    node.fault.restore();
    await until(async () => {
      try {
        await connect(1);
        return true;
      } catch {
        return false; // the node's client is still reconnecting: closed with 1011 again
      }
    }, 8000);
    expect(await route(1)).toBe(String(node.server.serverId));
  });

  it('during delivery: sockets stay, errors are logged, the queued push arrives once the bus is back', async () => {
    const alice = await connect(2);
    const bob = await connect(3);
    node.fault.cut();
    await im.sendSystemMessage({ recvIds: [2], recvTerminals: [0], data: 'sent during the outage' });
    // Heartbeats are answered locally; the route renewals fail and are logged.
    for (let i = 0; i < 6; i++) {
      alice.send({ cmd: 1, data: {} });
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(alice.received.filter((f) => f.cmd === 1).length).toBeGreaterThan(0);
    // A socket closing now is forgotten locally although its route cannot be removed.
    bob.close();
    await until(() => node.server.connectionCount === 1);
    await until(() => errors().includes('route removal failed') || errors().includes('route refresh failed'));
    expect(alice.isOpen).toBe(true);

    node.fault.restore();
    await until(() => alice.received.some((f) => f.cmd === 5 && f.data === 'sent during the outage'), 8000);
    expect(alice.received.filter((f) => f.cmd === 5)).toHaveLength(1);
    // The next heartbeat after the outage writes the lapsed route again.
    await until(async () => {
      alice.send({ cmd: 1, data: {} });
      return (await route(2)) === String(node.server.serverId);
    }, 8000);
    await im.sendSystemMessage({ recvIds: [2], recvTerminals: [0], data: 'after' });
    await until(() => alice.received.some((f) => f.cmd === 5 && f.data === 'after'));
  });
});
