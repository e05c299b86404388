/**
 * box-im's admin console bans users and groups by updating the database and then pushing
 * `{id, reason}` to Redis queues; the platform tells the clients.
 */
import { Cmd, MessageType, RedisKey } from '@box-im/im-common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDIS_URL, startTestServer, type TestServer } from '../../testing';

const modes = [{ redis: false }, ...(REDIS_URL ? [{ redis: true }] : [])];

describe.each(modes)('admin ban queues (redis: $redis)', ({ redis }) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ redis, env: redis ? { REDIS_KEY_PREFIX: `ban${Date.now()}:` } : {} });
  });
  afterAll(() => t.close());

  it('tells every terminal of a banned user, whose requests are then refused', async () => {
    const u = await t.newUser('banned');
    const app = await u.onTerminal(1);
    const [web, mobile] = [await u.socket(), await app.socket()];
    await t.admin.banUser(u.id, '发广告');
    for (const ws of [web, mobile]) {
      const frame = await ws.next((f) => f.cmd === Cmd.SYSTEM_MESSAGE);
      expect(frame.data).toMatchObject({ type: MessageType.USER_BANNED, content: '发广告' });
      expect(typeof (frame.data as { sendTime: number }).sendTime).toBe('number');
    }
    expect((await u.api.get('/user/self')).message).toContain('发广告');
    web.close();
    mobile.close();
  });

  it('tells the members of a banned and then unbanned group', async () => {
    const owner = await t.newUser('gowner');
    const member = await t.newUser('gmember');
    await t.befriend(owner, member);
    const group = (await owner.api.post('/group/create', { name: '被封的群' })).data;
    expect((await owner.api.post('/group/invite', { groupId: group.id, friendIds: [member.id] })).code).toBe(
      200,
    );
    const ws = await member.socket();

    await t.admin.banGroup(group.id, '违规');
    const tip = await ws.next(
      (f) =>
        f.cmd === Cmd.GROUP_MESSAGE &&
        (f.data as { content?: string }).content === '本群聊已被管理员封禁,原因:违规',
    );
    expect(tip.data).toMatchObject({
      groupId: group.id,
      type: MessageType.TIP_TEXT,
      sendId: 0,
      sendNickName: '系统管理员',
    });
    const refused = await member.api.post('/message/group/send', {
      groupId: group.id,
      content: 'hi',
      type: 0,
    });
    expect(refused.code).toBe(500);
    expect(refused.message).toContain('违规');

    await t.admin.unbanGroup(group.id);
    await ws.next(
      (f) => f.cmd === Cmd.GROUP_MESSAGE && (f.data as { content?: string }).content === '已解除封禁',
    );
    expect(
      (await member.api.post('/message/group/send', { groupId: group.id, content: 'back', type: 0 })).code,
    ).toBe(200);
    ws.close();
  });

  it('ignores malformed orders and keeps consuming', async () => {
    const u = await t.newUser('after');
    const ws = await u.socket();
    await t.running.ctx.bus.push(RedisKey.USER_BANNED_QUEUE, [
      'not json',
      JSON.stringify({ id: 'x' }),
      JSON.stringify([1]),
    ]);
    await t.admin.banUser(u.id, 'late');
    expect((await ws.next((f) => f.cmd === Cmd.SYSTEM_MESSAGE)).data).toMatchObject({ content: 'late' });
    ws.close();
  });
});
