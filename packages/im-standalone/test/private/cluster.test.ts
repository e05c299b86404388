/**
 * Friends and private messages in cluster mode: one platform and two push nodes on Redis,
 * users connected to different nodes, on each SQL engine available.
 */
import { RedisKey } from '@box-im/im-common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, REDIS_URL, startCluster, type TestCluster } from '../../testing';
import { PRIVATE, S, T, collect, eventually, friends, isChat, msg, rows, text, type Msg } from './support';

describe.skipIf(!REDIS_URL).each(ENGINES)('cluster: friends and private messages (%s + redis)', (engine) => {
  let c: TestCluster;
  beforeAll(async () => {
    c = await startCluster({ engine, nodes: 2 });
  });
  afterAll(async () => {
    await c?.close();
  });

  it('friend add, send, delivery, multi-terminal sync, read and recall across push nodes', async () => {
    const alice = await c.newUser('alice');
    const aliceApp = await alice.onTerminal(1);
    const bob = await c.newUser('bob');
    const aWeb = await alice.socketAt(0);
    const aApp = await aliceApp.socketAt(1);
    const bWeb = await bob.socketAt(1);

    await c.befriend(alice, bob);
    expect(msg(await bWeb.nextMessage(PRIVATE, 80)).sendId).toBe(alice.id);
    expect(msg(await aApp.nextMessage(PRIVATE, 80)).sendId).toBe(bob.id);
    for (const s of [aWeb, aApp, bWeb])
      expect(msg(await s.nextMessage(PRIVATE, T.TIP_TEXT)).content).toBe(
        '你们已成为好友，现在可以开始聊天了',
      );

    const sent = (await alice.api.post('/message/private/send', text(bob.id, 'across nodes', 'c-1')))
      .data as Msg;
    expect(msg(await bWeb.next(isChat))).toEqual(sent);
    expect(msg(await aApp.next(isChat))).toEqual(sent); // sent on web (node 0), shown on app (node 1)
    await eventually(
      async () => (await rows(c, alice.id, bob.id)).find((r) => r.id === sent.id)?.status === S.DELIVERED,
    );

    // Bob reads on his app (node 0): his web (node 1) clears unread, alice's terminals get RECEIPT.
    const bobApp = await bob.onTerminal(1);
    const bApp = await bobApp.socketAt(0);
    await bobApp.api.put(`/message/private/readed?friendId=${alice.id}`);
    expect(msg(await bWeb.nextMessage(PRIVATE, T.READED)).recvId).toBe(alice.id);
    expect(msg(await aWeb.nextMessage(PRIVATE, T.RECEIPT)).sendId).toBe(bob.id);
    expect(msg(await aApp.nextMessage(PRIVATE, T.RECEIPT)).sendId).toBe(bob.id);
    expect((await alice.api.get(`/message/private/maxReadedId?friendId=${bob.id}`)).data).toBe(sent.id);

    const recall = (await alice.api.delete(`/message/private/recall/${sent.id}`)).data as Msg;
    for (const s of [bWeb, bApp, aApp])
      expect(msg(await s.nextMessage(PRIVATE, T.RECALL)).id).toBe(recall.id);

    await alice.api.put('/friend/dnd', { friendId: bob.id, isDnd: true });
    expect(msg(await aApp.nextMessage(PRIVATE, 82)).content).toBe('true');
    for (const s of [aWeb, aApp, bWeb, bApp]) s.close();
  });

  it('keeps order and loses nothing with 20 parallel sends across nodes', async () => {
    const [alice, bob] = await friends(c);
    const bWeb = await bob.socketAt(1);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        alice.api.post('/message/private/send', text(bob.id, `p${i}`, `cp-${i}`)),
      ),
    );
    expect(results.every((r) => r.code === 200)).toBe(true);
    const ids = results.map((r) => (r.data as Msg).id).sort((a, b) => a - b);
    expect((await collect(bWeb, 20)).map((m) => m.id)).toEqual(ids);
    bWeb.close();
  });

  it('200 messages sent while offline arrive on reconnect to the other node, in order, once', async () => {
    const [alice, bob] = await friends(c);
    const first = await bob.socketAt(0);
    const known = (await bob.api.get('/message/private/loadOfflineMessage?minId=0')).data as Msg[];
    const cursor = Math.max(...known.map((m) => m.id));
    first.close();
    await first.closed;
    await eventually(async () => (await c.ctx.im.isOnline(bob.id)) === false);

    const sent: number[] = [];
    for (let i = 0; i < 200; i++)
      sent.push(((await alice.api.post('/message/private/send', text(bob.id, `o${i}`))).data as Msg).id);
    const again = await bob.socketAt(1);
    const pulled = (await bob.api.get(`/message/private/loadOfflineMessage?minId=${cursor}`)).data as Msg[];
    expect(pulled.map((m) => m.id)).toEqual(sent);
    expect(await again.settle(isChat, 200)).toHaveLength(0);
    again.close();
  });

  it("recovers messages lost in a dead push node's queue", async () => {
    const [alice, bob] = await friends(c);
    const doomed = await c.addNode();
    const socket = await bob.socketAt(c.nodes.indexOf(doomed));
    const cursor = Math.max(
      ...((await bob.api.get('/message/private/loadOfflineMessage?minId=0')).data as Msg[]).map((m) => m.id),
    );
    // The node dies; its route survives in Redis (TTL), so pushes keep landing in its queue.
    await doomed.close();
    await c.ctx.bus.set(RedisKey.userServerId(bob.id, 0), String(doomed.server.serverId), { ttlMs: 600_000 });
    const lost: number[] = [];
    for (let i = 0; i < 3; i++)
      lost.push(((await alice.api.post('/message/private/send', text(bob.id, `lost${i}`))).data as Msg).id);
    expect(socket.frames.filter(isChat)).toHaveLength(0);

    const back = await bob.socketAt(0);
    const pulled = (await bob.api.get(`/message/private/loadOfflineMessage?minId=${cursor}`)).data as Msg[];
    expect(pulled.map((m) => m.id)).toEqual(lost);
    const live = (await alice.api.post('/message/private/send', text(bob.id, 'live again'))).data as Msg;
    expect(msg(await back.next(isChat)).id).toBe(live.id);
    back.close();
  });

  it('recovers messages whose pushes were lost when Redis lost its data, even past the cursor', async () => {
    const [alice, bob] = await friends(c);
    const aWeb = await alice.socketAt(0);
    const bWeb = await bob.socketAt(1);
    await bob.api.get('/message/private/loadOfflineMessage?minId=0');
    await c.flushRedis(); // routes and queues gone; sockets stay open
    const lost = (await alice.api.post('/message/private/send', text(bob.id, 'while redis was empty')))
      .data as Msg;
    expect(await bWeb.settle(isChat, 200)).toHaveLength(0);
    // Bob's own send moves his cursor past the lost message.
    const mine = (await bob.api.post('/message/private/send', text(alice.id, 'anyone there?'))).data as Msg;
    expect(mine.id).toBeGreaterThan(lost.id);

    const pulled = (await bob.api.get(`/message/private/loadOfflineMessage?minId=${mine.id}`)).data as Msg[];
    expect(pulled.map((m) => m.id)).toEqual([lost.id]);
    expect((await bob.api.get(`/message/private/loadOfflineMessage?minId=${mine.id}`)).data).toEqual([]);
    aWeb.close();
    bWeb.close();
  });
});
