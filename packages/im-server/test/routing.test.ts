/**
 * Route ownership across push nodes: one connection per (user, terminal) in the whole
 * cluster, whatever the interleaving of logins, heartbeats and force-logout orders.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { pushJson } from '@box-im/im-bus';
import { CloseCode, FORCE_LOGOUT_TEXT, RedisKey } from '@box-im/im-common';
import type { TestClient } from './support';
import { busWorlds, signToken, until, useNodes, type TestNode } from './support';

describe.each(busWorlds())('route ownership on the $name bus', ({ create }) => {
  const f = useNodes(create, 2);
  let a: TestNode;
  let b: TestNode;
  beforeEach(() => {
    [a, b] = f.nodes as [TestNode, TestNode];
  });
  const { open, route } = f;
  const connect = async (node: TestNode, userId: number, terminal: number, devId: string) => {
    const client = await open(node);
    await client.login(await signToken(userId, terminal), devId);
    return client;
  };

  /** One race: the same token logs in on A and B at once. Resolves with the survivor. */
  const race = async (userId: number) => {
    const [onA, onB] = [await open(a), await open(b)];
    const token = await signToken(userId, 1);
    // Both login frames leave at once; each node verifies, claims and orders concurrently.
    onA.send({ cmd: 0, data: { accessToken: token, devId: `a${userId}` } });
    onB.send({ cmd: 0, data: { accessToken: token, devId: `b${userId}` } });
    // The loser gets cmd 2 and is closed with 3000; the winner stays.
    const outcome = await Promise.race([
      onA.closed.then((e) => ({ loser: onA, winner: onB, winnerNode: b, code: e.code })),
      onB.closed.then((e) => ({ loser: onB, winner: onA, winnerNode: a, code: e.code })),
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error(`user ${userId}: both logins kept their socket`)), 4000),
      ),
    ]);
    expect(outcome.code).toBe(CloseCode.INTENTIONAL);
    expect(outcome.loser.received).toContainEqual({ cmd: 2, data: FORCE_LOGOUT_TEXT });
    await until(() => outcome.winner.received.some((f) => f.cmd === 0));
    return outcome;
  };

  it('two concurrent logins of one (user, terminal) on two nodes: exactly one owns the route, the other is force-logged-out', async () => {
    const users = Array.from({ length: 12 }, (_, i) => 100 + i);
    const outcomes = await Promise.all(users.map(race));
    await until(() => a.server.connectionCount + b.server.connectionCount === users.length);
    for (const [i, { winner, winnerNode }] of outcomes.entries()) {
      const userId = users[i]!;
      expect(winner.isOpen).toBe(true);
      expect(winner.received.filter((f) => f.cmd === 2)).toEqual([]);
      // The route names the winner's node, and a push reaches the winner.
      expect(await route(userId, 1)).toBe(String(winnerNode.server.serverId));
      await f.im.sendSystemMessage({ recvIds: [userId], recvTerminals: [1], data: `to ${userId}` });
      await until(() => winner.received.some((f) => f.cmd === 5 && f.data === `to ${userId}`));
    }
  });

  it('a force-logout order that a newer login on the same node overtook is ignored', async () => {
    // B displaced A's first login, then the same user logged in again on A before A read B's
    // order: the order must not kick the newest login, which owns the route.
    const first = await connect(a, 200, 0, 'one');
    const newest = await connect(a, 200, 0, 'two');
    expect((await first.waitForClose()).code).toBe(CloseCode.INTENTIONAL);
    await pushJson(a.bus, RedisKey.forceLogoutQueue(a.server.serverId), [
      { userId: 200, terminal: 0, devId: 'from-b' },
    ]);
    const late = await newest.nextFrame(400).catch(() => null);
    expect(late).toBeNull();
    expect(newest.isOpen).toBe(true);
    expect(await route(200, 0)).toBe(String(a.server.serverId));
  });

  it('an order for a pair whose route moved to another node kicks the local connection', async () => {
    const old = await connect(a, 201, 0, 'one');
    await a.bus.set(RedisKey.userServerId(201, 0), String(b.server.serverId), { ttlMs: 60_000 });
    await pushJson(a.bus, RedisKey.forceLogoutQueue(a.server.serverId), [{ userId: 201, terminal: 0 }]);
    expect(await old.nextFrame()).toEqual({ cmd: 2, data: FORCE_LOGOUT_TEXT });
    expect((await old.waitForClose()).code).toBe(CloseCode.INTENTIONAL);
    expect(await route(201, 0)).toBe(String(b.server.serverId)); // not removed by the stale socket
  });

  describe('heartbeat renewal', () => {
    let c: TestNode;
    beforeEach(async () => {
      c = await f.world.startNode({ onlineTtlSeconds: 1 }); // renews every 250 ms at most
    });
    const beat = async (client: TestClient, times: number) => {
      for (let i = 0; i < times; i++) {
        client.send({ cmd: 1, data: {} });
        await new Promise((r) => setTimeout(r, 100));
      }
    };

    it('restores a route that vanished (Redis restarted) but never overwrites another node’s', async () => {
      const client = await connect(c, 300, 2, 'one');
      await c.bus.del(RedisKey.userServerId(300, 2));
      await beat(client, 4);
      expect(await route(300, 2)).toBe(String(c.server.serverId));
    });

    it('a connection whose route another node took without telling it is logged out', async () => {
      // A login elsewhere whose order was lost: the route names node B; C's socket is stale.
      const stale = await connect(c, 301, 0, 'one');
      await c.bus.set(RedisKey.userServerId(301, 0), String(b.server.serverId), { ttlMs: 60_000 });
      await beat(stale, 4);
      expect(stale.received).toContainEqual({ cmd: 2, data: FORCE_LOGOUT_TEXT });
      expect((await stale.waitForClose()).code).toBe(CloseCode.INTENTIONAL);
      expect(await route(301, 0)).toBe(String(b.server.serverId));
    });
  });
});
