/**
 * The cluster mode on a Redis Cluster (`REDIS_URL=redis-cluster://…`): a platform and two
 * push nodes on a 3-master Redis Cluster this test starts, users spread over both nodes.
 * Private and group messages arrive exactly once, in order, and im-client's delivery results
 * come back through the result queues, while routes, queues and locks lie on several masters.
 */
import { SendCode, type IMSendResult } from '@box-im/im-common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  REDIS_BINARIES_MISSING,
  redisCli,
  startRedisCluster,
  until,
  type RedisCluster,
} from '@box-im/im-process/testing';
import { startCluster, type ClusterUser, type Frame, type TestCluster, type TestSocket } from '../../testing';
import { GROUP, gm, text as groupText, type GMsg, type Group } from '../group/support';
import { PRIVATE, S, T, collect, eventually, isChat, rows, text, type Msg } from '../private/support';

describe.skipIf(REDIS_BINARIES_MISSING)('cluster mode on a Redis Cluster (3 masters)', () => {
  let redis: RedisCluster;
  let c: TestCluster;
  beforeAll(async () => {
    redis = await startRedisCluster(3);
    c = await startCluster({ engine: 'sqlite', nodes: 2, redisUrl: redis.url });
  }, 40_000);
  afterAll(async () => {
    await c?.close();
    redis?.close();
  });

  it('private and group messages across push nodes, each exactly once; results come back', async () => {
    const results: IMSendResult[] = [];
    const stopListening = c.ctx.im.onGroupResult((batch) => void results.push(...batch));
    const users: ClusterUser[] = [];
    for (const name of ['ann', 'ben', 'cat', 'dan']) users.push(await c.newUser(name));
    const [ann, ben, cat, dan] = users as [ClusterUser, ClusterUser, ClusterUser, ClusterUser];
    // Web terminals alternate between the nodes; ann also on the app terminal of node 1.
    const sockets: TestSocket[] = await Promise.all(users.map((u, i) => u.socketAt(i % 2)));
    const [annWs, benWs, catWs, danWs] = sockets as [TestSocket, TestSocket, TestSocket, TestSocket];
    const annApp = await (await ann.onTerminal(1)).socketAt(1);

    // Private: ann (node 0) → ben (node 1), 20 parallel sends.
    await c.befriend(ann, ben);
    await benWs.nextMessage(PRIVATE, T.TIP_TEXT);
    await annWs.nextMessage(PRIVATE, T.TIP_TEXT);
    await annApp.nextMessage(PRIVATE, T.TIP_TEXT);
    const sent = await Promise.all(
      Array.from({ length: 20 }, (_, i) => ann.api.post<Msg>('/message/private/send', text(ben.id, `p${i}`))),
    );
    expect(sent.every((r) => r.code === 200)).toBe(true);
    const ids = sent.map((r) => r.data!.id).sort((a, b) => a - b);
    expect((await collect(benWs, 20)).map((m) => m.id)).toEqual(ids);
    expect((await collect(annApp, 20)).map((m) => m.id)).toEqual(ids); // sender's other terminal
    expect(await benWs.settle(isChat, 300)).toHaveLength(0);
    expect(annApp.frames.filter(isChat)).toHaveLength(0);
    // Ben's node reported each delivery through the private result queue: DELIVERED rows.
    await eventually(async () =>
      (await rows(c, ann.id, ben.id))
        .filter((r) => ids.includes(r.id))
        .every((r) => r.status === S.DELIVERED),
    );

    // Group: owner ann, members on both nodes; 10 messages in order, once each.
    const group = (await ann.api.post<Group>('/group/create', { name: 'slots' })).data!;
    for (const m of [cat, dan]) await c.befriend(ann, m);
    expect(
      (await ann.api.post('/group/invite', { groupId: group.id, friendIds: [ben.id, cat.id, dan.id] })).code,
    ).toBe(200);
    const isChatOf = (f: Frame) => f.cmd === GROUP && gm(f).groupId === group.id && gm(f).type === T.TEXT;
    const groupIds: number[] = [];
    for (let i = 0; i < 10; i++)
      groupIds.push((await ann.api.post<GMsg>('/message/group/send', groupText(group.id, `g${i}`))).data!.id);
    for (const ws of [benWs, catWs, danWs, annApp]) {
      const got: number[] = [];
      for (let i = 0; i < 10; i++) got.push(gm(await ws.next(isChatOf, 10_000)).id);
      expect(got).toEqual(groupIds);
    }
    for (const ws of [benWs, catWs, danWs, annApp]) expect(await ws.settle(isChatOf, 200)).toHaveLength(0);
    expect(annWs.frames.filter(isChatOf)).toHaveLength(0); // not echoed to the sending terminal

    // im-client's group results (the platform asks none for group messages; an app may).
    await c.ctx.im.sendGroupMessage({
      sender: { id: ann.id, terminal: 0 },
      recvIds: [ben.id, cat.id, dan.id],
      sendResult: true,
      data: { probe: 'results' },
    });
    // The push nodes report each delivery (the web terminals online); the other terminals
    // are reported offline.
    const success = () => results.filter((r) => r.code === SendCode.SUCCESS);
    await until(() => success().length >= 3);
    expect(
      success()
        .map((r) => `${r.receiver.id}:${r.receiver.terminal}`)
        .sort(),
    ).toEqual([ben.id, cat.id, dan.id].map((id) => `${id}:0`).sort());
    expect(
      results.filter((r) => r.code !== SendCode.SUCCESS).every((r) => r.code === SendCode.NOT_ONLINE),
    ).toBe(true);
    stopListening();

    // The keyspace really is spread: keys of this cluster on at least two masters.
    const counts = await Promise.all(redis.ports.map(async (port) => Number(await redisCli(port, 'dbsize'))));
    expect(counts.filter((n) => n > 0).length).toBeGreaterThanOrEqual(2);
    for (const ws of [...sockets, annApp]) ws.close();
  });
});
