import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RoutingTable, type Bus } from '@box-im/im-bus';
import { IMClient } from '@box-im/im-client';
import {
  aliveValue,
  Cmd,
  PushNodeCapability,
  RedisKey,
  SendCode,
  type IMBatchSendResult,
  type IMRecvInfo,
  type IMSendResult,
} from '@box-im/im-common';
import { busesUnderTest, recordCalls, until, type BusCalls } from './support';

/**
 * The SDK against a real bus, with no push node: routes are written by hand and the test
 * reads what the SDK queued; results are pushed by hand as a push node would.
 */
describe.each(busesUnderTest())('IMClient on the $name bus', ({ open }) => {
  let bus: Bus;
  let dispose: () => Promise<void>;
  let calls: BusCalls;
  let im: IMClient;
  let routes: RoutingTable;
  /** A route to `serverId`, a node that is alive (its liveness key is there, as a running node's is). */
  const online = async (userId: number, terminal: number, serverId: number) => {
    await bus.set(RedisKey.serverAlive(serverId), '1');
    return routes.claim({ userId, terminal }, serverId, 600);
  };
  const queued = (queue: string) =>
    calls.pushes.filter((p) => p.queue === queue).flatMap((p) => p.items as IMRecvInfo[]);

  beforeEach(async () => {
    ({ bus, dispose } = await open());
    calls = { pushes: [], mgets: [] };
    im = new IMClient({ bus: recordCalls(bus, calls), appName: 'svc' });
    routes = new RoutingTable(bus);
  });
  afterEach(async () => {
    await im.stop();
    await dispose();
  });

  describe('sendPrivateMessage', () => {
    it('queues one job per online receiver terminal and reports offline ones at once', async () => {
      await online(1, 0, 5);
      await online(1, 1, 6);
      const results: IMSendResult[] = [];
      im.onPrivateResult((batch) => void results.push(...batch));
      await im.sendPrivateMessage({
        sender: { id: 2, terminal: 0 },
        recvId: 1,
        sendToSelf: false,
        data: { id: 1 },
      });

      expect(calls.mgets).toEqual([3, 2]); // routes, then the liveness of the 2 nodes found
      expect(queued(RedisKey.privateMessageQueue(5))).toEqual([
        {
          cmd: Cmd.PRIVATE_MESSAGE,
          sender: { id: 2, terminal: 0 },
          receivers: [{ id: 1, terminal: 0 }],
          sendResult: true,
          serviceName: 'svc',
          data: { id: 1 },
        },
      ]);
      expect(queued(RedisKey.privateMessageQueue(6))).toHaveLength(1);
      expect(results).toEqual([
        {
          sender: { id: 2, terminal: 0 },
          receiver: { id: 1, terminal: 2 },
          code: SendCode.NOT_ONLINE,
          data: { id: 1 },
        },
      ]);
    });

    it('sendToSelf copies to the sender’s other online terminals without results, in the same lookup', async () => {
      await online(2, 1, 7);
      await online(2, 0, 7); // the sending terminal itself: no copy
      await im.sendPrivateMessage({ sender: { id: 2, terminal: 0 }, recvId: 1, data: 'x' });
      expect(calls.mgets).toEqual([5, 1]); // routes, then the liveness of the node found
      expect(queued(RedisKey.privateMessageQueue(7))).toEqual([
        {
          cmd: Cmd.PRIVATE_MESSAGE,
          sender: { id: 2, terminal: 0 },
          receivers: [{ id: 2, terminal: 1 }],
          sendResult: false,
          data: 'x',
        },
      ]);
    });

    it('does not double-send when the sender writes to themself', async () => {
      await online(3, 1, 7);
      await im.sendPrivateMessage({ sender: { id: 3, terminal: 0 }, recvId: 3, data: 'note' });
      expect(queued(RedisKey.privateMessageQueue(7))).toHaveLength(1);
    });

    it('with sendResult=false reports nothing', async () => {
      const results: IMSendResult[] = [];
      im.onPrivateResult((batch) => void results.push(...batch));
      await im.sendPrivateMessage({ sender: { id: 2, terminal: 0 }, recvId: 1, sendResult: false, data: 1 });
      expect(results).toEqual([]);
      expect(calls.pushes).toEqual([]);
    });
  });

  describe('sendGroupMessage / sendSystemMessage', () => {
    it('queues ONE job per push node holding all its receivers', async () => {
      await online(10, 0, 1);
      await online(11, 0, 2);
      await online(12, 1, 1);
      const results: IMSendResult[] = [];
      im.onGroupResult((batch) => void results.push(...batch));
      await im.sendGroupMessage({
        sender: { id: 9, terminal: 0 },
        recvIds: [10, 11, 12, 13, 10],
        recvTerminals: [0, 1],
        data: { g: 1 },
      });

      // 4 distinct users × 2 terminals + the sender's 2 others, then the liveness of the 2 nodes
      expect(calls.mgets).toEqual([10, 2]);
      expect(calls.pushes.map((p) => [p.queue, p.items.length])).toEqual([
        [RedisKey.groupMessageQueue(1), 1],
        [RedisKey.groupMessageQueue(2), 1],
      ]);
      expect(queued(RedisKey.groupMessageQueue(1))[0]!.receivers).toEqual([
        { id: 10, terminal: 0 },
        { id: 12, terminal: 1 },
      ]);
      expect(results.map((r) => [r.receiver.id, r.receiver.terminal, r.code])).toEqual([
        [10, 1, SendCode.NOT_ONLINE],
        [11, 1, SendCode.NOT_ONLINE],
        [12, 0, SendCode.NOT_ONLINE],
        [13, 0, SendCode.NOT_ONLINE],
        [13, 1, SendCode.NOT_ONLINE],
      ]);
    });

    it('sendToSelf adds the sender’s other terminals once, even when the sender is a receiver', async () => {
      await online(9, 1, 3);
      await im.sendGroupMessage({ sender: { id: 9, terminal: 0 }, recvIds: [9], data: 'g' });
      const jobs = queued(RedisKey.groupMessageQueue(3));
      expect(jobs).toHaveLength(1);
      expect(jobs[0]!.receivers).toEqual([{ id: 9, terminal: 1 }]);
      expect(jobs[0]!.sendResult).toBe(true);
    });

    it('a repeated receiver id is pushed once, read from Redis or from the route cache', async () => {
      await online(20, 0, 3);
      await online(20, 1, 4);
      await online(9, 1, 3);
      im.start();
      await until(() => im.routeCacheEnabled);
      // The first push reads the routes (and caches them), the second reads the cache.
      for (const data of ['read', 'cached']) {
        calls.pushes.length = 0;
        await im.sendGroupMessage({ sender: { id: 9, terminal: 0 }, recvIds: [20, 9, 20, 21, 9, 21], data });
        const receivers = (node: number) =>
          queued(RedisKey.groupMessageQueue(node)).flatMap((j) => j.receivers);
        expect(receivers(3)).toEqual([
          { id: 20, terminal: 0 },
          { id: 9, terminal: 1 },
        ]);
        expect(receivers(4)).toEqual([{ id: 20, terminal: 1 }]);
      }
    });

    it('queues the compact form to nodes whose liveness advertises it, box-im’s to the others', async () => {
      await online(50, 0, 7); // liveness '1': advertises nothing (an older node)
      await online(51, 0, 8);
      await bus.set(RedisKey.serverAlive(8), aliveValue(Date.now(), [PushNodeCapability.COMPACT_JOBS]));
      await im.sendGroupMessage({
        sender: { id: 9, terminal: 0 },
        recvIds: [50, 51],
        sendToSelf: false,
        data: 1,
      });
      expect(queued(RedisKey.groupMessageQueue(7))).toEqual([
        {
          cmd: 4,
          sender: { id: 9, terminal: 0 },
          receivers: [{ id: 50, terminal: 0 }],
          sendResult: true,
          serviceName: 'svc',
          data: 1,
        },
      ]);
      expect(queued(RedisKey.groupMessageQueue(8))).toEqual([
        {
          cmd: 4,
          sender: { id: 9, terminal: 0 },
          recvPairs: [51, 0],
          sendResult: true,
          serviceName: 'svc',
          data: 1,
        },
      ]);

      const boxim = new IMClient({ bus: recordCalls(bus, calls), appName: 'svc', compactJobs: false });
      calls.pushes = [];
      await boxim.sendGroupMessage({
        sender: { id: 9, terminal: 0 },
        recvIds: [51],
        sendToSelf: false,
        data: 2,
      });
      expect(queued(RedisKey.groupMessageQueue(8))[0]!.receivers).toEqual([{ id: 51, terminal: 0 }]);
    });

    it('without liveness checks (next to Java nodes) always queues box-im’s form', async () => {
      const java = new IMClient({ bus: recordCalls(bus, calls), appName: 'svc', checkNodeLiveness: false });
      await online(52, 0, 8);
      await bus.set(RedisKey.serverAlive(8), aliveValue(Date.now(), [PushNodeCapability.COMPACT_JOBS]));
      await java.sendSystemMessage({ recvIds: [52], data: 3 });
      expect(queued(RedisKey.systemMessageQueue(8))[0]!.receivers).toEqual([{ id: 52, terminal: 0 }]);
    });

    it('sends system messages as cmd 5 without a sender; empty recvIds reach nobody', async () => {
      await online(20, 2, 4);
      await im.sendSystemMessage({ recvIds: [20], data: { s: 1 } });
      expect(queued(RedisKey.systemMessageQueue(4))).toEqual([
        {
          cmd: Cmd.SYSTEM_MESSAGE,
          receivers: [{ id: 20, terminal: 2 }],
          sendResult: true,
          serviceName: 'svc',
          data: { s: 1 },
        },
      ]);
      await im.sendSystemMessage({ recvIds: [], data: 'none' });
      expect(calls.pushes).toHaveLength(1);
    });
  });

  describe('online queries', () => {
    beforeEach(async () => {
      await online(30, 0, 1);
      await online(30, 2, 1);
      await online(31, 1, 2);
    });

    it('isOnline / isOnlineTerminal', async () => {
      expect(await im.isOnline(30)).toBe(true);
      expect(await im.isOnline(32)).toBe(false);
      expect(await im.isOnlineTerminal(30, 2)).toBe(true);
      expect(await im.isOnlineTerminal(30, 1)).toBe(false);
    });

    it('getOnlineTerminals / getOnlineUsers list only online users', async () => {
      expect(await im.getOnlineTerminals([30, 31, 32])).toEqual(
        new Map([
          [30, [0, 2]],
          [31, [1]],
        ]),
      );
      expect(await im.getOnlineUsers([32, 31, 30, 31])).toEqual([31, 30]);
    });

    it('looks up large id lists in MGETs of at most 1000 keys', async () => {
      const ids = Array.from({ length: 1000 }, (_, i) => i + 1);
      expect(await im.getOnlineUsers(ids)).toEqual([30, 31]);
      expect(calls.mgets).toEqual([1000, 1000, 1000, 2]); // + the liveness of the 2 nodes
    });
  });

  describe('forceLogout', () => {
    it('orders each node holding a terminal of the user', async () => {
      await online(40, 0, 5);
      await online(40, 2, 6);
      await im.forceLogout(40);
      const orders = (serverId: number) =>
        calls.pushes.filter((p) => p.queue === RedisKey.forceLogoutQueue(serverId)).flatMap((p) => p.items);
      expect(orders(5)).toEqual([{ userId: 40, terminal: 0 }]);
      expect(orders(6)).toEqual([{ userId: 40, terminal: 2 }]);
    });
  });

  describe('result listeners', () => {
    it('hand push-node results to listeners, batch results flattened per receiver', async () => {
      im.start();
      const privateResults: IMSendResult[] = [];
      const groupResults: IMSendResult[] = [];
      const systemResults: IMSendResult[] = [];
      im.onPrivateResult((batch) => void privateResults.push(...batch));
      im.onGroupResult((batch) => void groupResults.push(...batch));
      im.onSystemResult((batch) => void systemResults.push(...batch));

      const sender = { id: 1, terminal: 0 };
      const single: IMSendResult = {
        sender,
        receiver: { id: 2, terminal: 0 },
        code: SendCode.SUCCESS,
        data: { id: 1 },
      };
      const batch: IMBatchSendResult = {
        sender,
        receivers: [
          { id: 3, terminal: 0 },
          { id: 4, terminal: 1 },
        ],
        code: SendCode.NOT_FIND_CHANNEL,
        data: 'g',
      };
      await bus.push(RedisKey.privateResultQueue('svc'), [JSON.stringify(single)]);
      await bus.push(RedisKey.groupResultQueue('svc'), [JSON.stringify(batch)]);
      await bus.push(RedisKey.systemResultQueue('svc'), [JSON.stringify({ ...batch, sender: undefined })]);
      await until(
        () => privateResults.length === 1 && groupResults.length === 2 && systemResults.length === 2,
      );

      expect(privateResults).toEqual([single]);
      expect(groupResults).toEqual([
        { sender, receiver: { id: 3, terminal: 0 }, code: SendCode.NOT_FIND_CHANNEL, data: 'g' },
        { sender, receiver: { id: 4, terminal: 1 }, code: SendCode.NOT_FIND_CHANNEL, data: 'g' },
      ]);
      expect(systemResults.map((r) => r.receiver.id)).toEqual([3, 4]);
    });

    it('a failing listener is logged and neither stops the others nor the consumer', async () => {
      const errors: unknown[] = [];
      im = new IMClient({
        bus,
        appName: 'svc',
        logger: { debug: () => undefined, warn: () => undefined, error: (obj) => void errors.push(obj) },
      });
      im.start();
      const seen: number[] = [];
      im.onPrivateResult(() => {
        throw new Error('listener bug');
      });
      const unsubscribe = im.onPrivateResult((batch) => void seen.push(...batch.map((r) => r.receiver.id)));
      const result = (id: number): string =>
        JSON.stringify({ receiver: { id, terminal: 0 }, code: SendCode.SUCCESS, data: null });

      await bus.push(RedisKey.privateResultQueue('svc'), [result(1)]);
      await until(() => seen.length === 1);
      await bus.push(RedisKey.privateResultQueue('svc'), [result(2)]);
      await until(() => seen.length === 2);
      expect(seen).toEqual([1, 2]);
      expect(errors.length).toBeGreaterThanOrEqual(2);

      unsubscribe();
      await bus.push(RedisKey.privateResultQueue('svc'), [result(3)]);
      await until(() => errors.length >= 3);
      expect(seen).toEqual([1, 2]);
    });
  });
});
