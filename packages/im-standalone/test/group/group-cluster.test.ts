/**
 * A 500-member group in cluster mode: one platform and two push nodes on Redis, members'
 * sockets spread over both nodes. One message reaches every online member exactly once,
 * and the platform queues one item per push node, not one per member.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApiClient,
  type ClusterUser,
  ENGINES,
  REDIS_URL,
  startCluster,
  type TestCluster,
  TestSocket,
} from '../../testing';
import { TokenService } from '@box-im/im-platform';
import { GROUP, gm, isGroup, T, text, type GMsg, type Group } from './support';

const MEMBERS = 500;

/** Count what the platform pushes onto the bus, per queue name (items, and push calls). */
function countPushes(c: TestCluster) {
  const bus = c.ctx.bus;
  const original = bus.push.bind(bus);
  const calls = new Map<string, number>();
  const items = new Map<string, string[]>();
  bus.push = async (queue, values) => {
    calls.set(queue, (calls.get(queue) ?? 0) + 1);
    items.set(queue, [...(items.get(queue) ?? []), ...values]);
    return original(queue, values);
  };
  return { calls, items, restore: () => void (bus.push = original) };
}

describe.skipIf(!REDIS_URL).each(ENGINES)('cluster: a %s-backed group of 500 on two push nodes', (engine) => {
  let c: TestCluster;
  let owner: ClusterUser;
  let outsider: ClusterUser;
  let group: Group;
  const members: { id: number; token: string }[] = [];
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    c = await startCluster({ engine, nodes: 2 });
    owner = await c.newUser('own');
    outsider = await c.newUser('out');
    // Members are made straight in the database (500 registrations would only test bcrypt).
    const password = 'not-a-real-hash';
    const tag = randomBytes(3).toString('hex');
    for (let i = 0; i < MEMBERS - 1; i++) {
      const userName = `gm${tag}${i}`;
      const id = (await c.ctx.repos.users.insert({
        user_name: userName,
        nick_name: userName,
        password,
        created_time: new Date(),
      }))!;
      const session = { userId: id, userName, nickName: userName, terminal: 0 };
      const tokens = await c.ctx.services.tokens.issue(
        JSON.stringify(session),
        id,
        TokenService.passwordVersion(password),
      );
      members.push({ id, token: tokens.accessToken });
    }
    const now = new Date();
    const friendRows = members.map((m) => ({
      user_id: owner.id,
      friend_id: m.id,
      friend_nick_name: `n${m.id}`,
      friend_head_image: '',
      deleted: 0,
      created_time: now,
    }));
    for (let i = 0; i < friendRows.length; i += 100)
      await c.ctx.db.db
        .insertInto('im_friend')
        .values(friendRows.slice(i, i + 100))
        .execute();
    group = (await owner.api.post<Group>('/group/create', { name: 'big' })).data!;
    for (let i = 0; i < members.length; i += 50) {
      const res = await owner.api.post('/group/invite', {
        groupId: group.id,
        friendIds: members.slice(i, i + 50).map((m) => m.id),
      });
      expect(res.message).toBe('成功');
    }
    // Every member online, alternating between the two push nodes.
    for (let i = 0; i < members.length; i += 50) {
      const batch = members
        .slice(i, i + 50)
        .map((m, j) => TestSocket.login(c.nodes[(i + j) % 2]!.url, m.token));
      sockets.push(...(await Promise.all(batch)));
    }
  }, 120_000);

  afterAll(async () => {
    for (const s of sockets) s.close();
    await c?.close();
  });

  it('one message reaches all 499 other members once; one queue item per push node', async () => {
    const ownerWs = await owner.socketAt(0);
    const outWs = await outsider.socketAt(1);
    expect((await owner.api.get<unknown[]>(`/group/members/${group.id}`)).data).toHaveLength(MEMBERS);
    const counter = countPushes(c);
    const started = performance.now();
    const res = await owner.api.post<GMsg>(
      '/message/group/send',
      text(group.id, 'hello 500', { atUserIds: [-1] }),
    );
    expect(res.code).toBe(200);
    const id = res.data!.id;
    await Promise.all(sockets.map((s) => s.next((f) => f.cmd === GROUP && gm(f).id === id, 15_000)));
    const fanOutMs = performance.now() - started;
    counter.restore();

    // Exactly once each, nothing for the outsider, nothing echoed to the sending terminal.
    await new Promise((r) => setTimeout(r, 300));
    expect(sockets.filter((s) => s.frames.some((f) => f.cmd === GROUP && gm(f).id === id))).toHaveLength(0);
    expect(outWs.frames.filter((f) => f.cmd === GROUP)).toHaveLength(0);
    expect(ownerWs.frames.filter(isGroup(T.TEXT, group.id))).toHaveLength(0);

    const groupQueues = [...counter.calls.keys()].filter((q) => q.startsWith('im:message:group:'));
    const serverIds = c.nodes.map((n) => n.server.serverId);
    expect(groupQueues.sort()).toEqual(serverIds.map((sid) => `im:message:group:${sid}`).sort());
    const jobs = groupQueues.flatMap((q) =>
      counter.items.get(q)!.map((raw) => JSON.parse(raw) as { recvPairs: number[] }),
    );
    expect(jobs).toHaveLength(2);
    // Our push nodes advertise compact jobs: receivers as flat (id, terminal) pairs.
    expect(jobs.map((j) => j.recvPairs.length / 2).sort()).toEqual(
      [Math.floor((MEMBERS - 1) / 2), Math.ceil((MEMBERS - 1) / 2)].sort(),
    );
    expect(counter.calls.size).toBe(2); // no other queue was touched
    // Reported by the test run: fan-out time and queue items for 499 receivers.
    process.stdout.write(
      `[group-cluster ${engine}] fan-out to ${MEMBERS - 1} members: ${fanOutMs.toFixed(0)} ms, ${jobs.length} queue items\n`,
    );
    ownerWs.close();
    outWs.close();
  });

  it('a receipt message read by many members is counted from the database', async () => {
    const sent = (
      await owner.api.post<GMsg>('/message/group/send', text(group.id, 'read me', { receipt: true }))
    ).data!;
    const readers = members.slice(0, 20);
    for (const m of readers) {
      const api = new ApiClient(c.url, m.token);
      expect((await api.put(`/message/group/readed?groupId=${group.id}&messageId=${sent.id}`)).code).toBe(
        200,
      );
    }
    const ids = (
      await owner.api.get<number[]>(`/message/group/findReadedUsers?groupId=${group.id}&messageId=${sent.id}`)
    ).data!;
    expect(ids.sort()).toEqual(readers.map((r) => r.id).sort());
    // Read positions are not in Redis: wiping it loses none.
    await c.flushRedis();
    const mine = (await owner.api.get<GMsg[]>(`/message/group/loadOfflineMessage?minId=${sent.id - 1}`))
      .data!;
    expect(mine.find((m) => m.id === sent.id)).toMatchObject({ readedCount: 20, receiptOk: false });
  });
});
