import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IMClient } from '@box-im/im-client';
import {
  CloseCode,
  FORCE_LOGOUT_TEXT,
  RedisKey,
  SendCode,
  type IMCompactRecvInfo,
  type IMRecvInfo,
  type IMSendResult,
} from '@box-im/im-common';
import { busWorlds, recordPushes, TestClient, until, type BusWorld, type TestNode } from './support';

/** Two push nodes sharing one bus, as two processes sharing one Redis. */
describe.each(busWorlds())('two push nodes on the $name bus', ({ create }) => {
  let world: BusWorld;
  let a: TestNode;
  let b: TestNode;
  let im: IMClient;
  let pushes: { queue: string; items: string[] }[];
  const clients: TestClient[] = [];
  const connect = async (node: TestNode, userId: number, terminal: number, devId?: string) => {
    const client = await TestClient.connect(node.url, userId, terminal, devId);
    clients.push(client);
    return client;
  };

  beforeEach(async () => {
    world = create();
    a = await world.startNode();
    b = await world.startNode();
    pushes = [];
    im = new IMClient({ bus: recordPushes(await world.connect(), pushes), appName: 'im-platform' });
    im.start();
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await im.stop();
    await world.dispose();
  });

  it('gives each node its own server id', () => {
    expect(new Set([a.server.serverId, b.server.serverId]).size).toBe(2);
  });

  it('routes a push to the node holding the user', async () => {
    const alice = await connect(a, 1, 0);
    const bob = await connect(b, 2, 0);
    await im.sendPrivateMessage({ sender: { id: 2, terminal: 0 }, recvId: 1, data: { text: 'to alice' } });
    expect(await alice.nextFrame()).toEqual({ cmd: 3, data: { text: 'to alice' } });
    expect(pushes.map((p) => p.queue)).toEqual([RedisKey.privateMessageQueue(a.server.serverId)]);
    expect(bob.received).toEqual([{ cmd: 0, data: null }]);
  });

  it('a login on another node force-logs-out the old socket; its close keeps the new route', async () => {
    const old = await connect(a, 3, 1, 'phone');
    const fresh = await connect(b, 3, 1, 'tablet');
    expect(await old.nextFrame()).toEqual({ cmd: 2, data: FORCE_LOGOUT_TEXT });
    expect((await old.waitForClose()).code).toBe(CloseCode.INTENTIONAL);
    await until(() => a.server.connectionCount === 0);
    // Read through node A's own connection, so any removal it issued has been applied.
    expect(await a.bus.get(RedisKey.userServerId(3, 1))).toBe(String(b.server.serverId));
    await im.sendSystemMessage({ recvIds: [3], data: 'still here' });
    expect(await fresh.nextFrame()).toEqual({ cmd: 5, data: 'still here' });
  });

  it('the same device moving to another node closes the old socket without cmd 2', async () => {
    const old = await connect(a, 4, 0, 'same-device');
    await connect(b, 4, 0, 'same-device');
    expect((await old.waitForClose()).code).toBe(CloseCode.INTENTIONAL);
    expect(old.received).toEqual([{ cmd: 0, data: null }]);
  });

  it.each([
    { form: 'compact (the nodes advertise it)', compactJobs: true },
    { form: 'box-im', compactJobs: false },
  ])(
    'a group push queues exactly one $form job per node and reports every receiver',
    async ({ compactJobs }) => {
      const pusher = new IMClient({
        bus: recordPushes(await world.connect(), pushes),
        // Its own result queues: \`im\` consumes im-platform's.
        appName: 'group-pusher',
        compactJobs,
      });
      pusher.start();
      const members = [11, 12, 13, 14, 15, 16];
      const sockets = await Promise.all(members.map((id, i) => connect(i % 2 === 0 ? a : b, id, 0)));
      const results: IMSendResult[] = [];
      pusher.onGroupResult((batch) => void results.push(...batch));

      await pusher.sendGroupMessage({
        sender: { id: 99, terminal: 0 },
        recvIds: members,
        sendToSelf: false,
        data: { id: 7, text: 'héllo "quoted"' },
      });
      for (const socket of sockets) {
        expect(await socket.nextFrame()).toEqual({ cmd: 4, data: { id: 7, text: 'héllo "quoted"' } });
      }

      const groupQueues = [
        RedisKey.groupMessageQueue(a.server.serverId),
        RedisKey.groupMessageQueue(b.server.serverId),
      ];
      expect(pushes.map((p) => [p.queue, p.items.length]).sort()).toEqual(
        groupQueues.map((q) => [q, 1]).sort(),
      );
      const jobs = pushes.map((p) => JSON.parse(p.items[0]!) as Partial<IMRecvInfo & IMCompactRecvInfo>);
      if (compactJobs) {
        expect(jobs.map((j) => [j.receivers, j.recvPairs?.length])).toEqual([
          [undefined, 6],
          [undefined, 6],
        ]);
      } else
        expect(jobs.map((j) => [j.recvPairs, j.receivers?.length])).toEqual([
          [undefined, 3],
          [undefined, 3],
        ]);

      // 6 online (terminal 0) + 12 offline pairs (terminals 1 and 2).
      await until(() => results.length === 18);
      expect(
        results
          .filter((r) => r.code === SendCode.SUCCESS)
          .map((r) => r.receiver.id)
          .sort(),
      ).toEqual(members);
      expect(results.filter((r) => r.code === SendCode.NOT_ONLINE)).toHaveLength(12);
      await pusher.stop();
    },
  );

  it('a compact job for a receiver now on the other node is forwarded there in box-im form', async () => {
    const moved = await connect(b, 30, 0);
    const results: IMSendResult[] = [];
    im.onGroupResult((batch) => void results.push(...batch));
    // A stale route: the pusher believes user 30 is on node A.
    await a.bus.push(RedisKey.groupMessageQueue(a.server.serverId), [
      JSON.stringify({
        cmd: 4,
        sender: { id: 99, terminal: 0 },
        recvPairs: [30, 0],
        sendResult: true,
        serviceName: 'im-platform',
        data: 'moved',
      } satisfies IMCompactRecvInfo),
    ]);
    expect(await moved.nextFrame()).toEqual({ cmd: 4, data: 'moved' });
    await until(() => results.length === 1);
    expect(results[0]).toMatchObject({ receiver: { id: 30, terminal: 0 }, code: SendCode.SUCCESS });
  });

  it('drops a compact job whose pairs are not (id, terminal) numbers and goes on', async () => {
    const member = await connect(a, 31, 0);
    const queue = RedisKey.groupMessageQueue(a.server.serverId);
    await a.bus.push(queue, [
      JSON.stringify({ cmd: 4, recvPairs: [31], sendResult: false, data: 'odd' }),
      JSON.stringify({ cmd: 4, recvPairs: [31, '0'], sendResult: false, data: 'string' }),
      JSON.stringify({ cmd: 4, recvPairs: [31, 0], sendResult: false, data: 'fine' }),
    ]);
    expect(await member.nextFrame()).toEqual({ cmd: 4, data: 'fine' });
  });

  it('sendToSelf reaches the sender’s other terminals on another node', async () => {
    const receiver = await connect(a, 20, 0);
    const senderApp = await connect(b, 21, 1);
    await im.sendPrivateMessage({ sender: { id: 21, terminal: 0 }, recvId: 20, data: 'm' });
    expect(await receiver.nextFrame()).toEqual({ cmd: 3, data: 'm' });
    expect(await senderApp.nextFrame()).toEqual({ cmd: 3, data: 'm' });
  });
});
