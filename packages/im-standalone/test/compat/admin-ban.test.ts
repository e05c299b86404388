/**
 * box-im's admin console bans users and groups by writing the shared database and pushing
 * `{id, reason}` onto `im:queue:user:banned` / `im:queue:group:banned` / `im:queue:group:unban`
 * (backend §5.11). The clients then react to what the platform pushes: cmd 5 USER_BANNED (50)
 * closes the web socket with 3000 and logs out; a group ban is a TIP_TEXT in the chat and
 * `isBanned`/`reason` on the GroupVO block sending (frontend §3.5, §4.2).
 *
 * The admin side is simulated through the same contract: a row update plus a queue item.
 */
import { RedisKey } from '@box-im/im-common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../testing';
import { CMD, MT, data, expectFail, expectOk, expectVoidOk, isCmdType, web, webHttp } from './support';

describe('box-im-admin bans as the clients see them', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t?.close();
  });

  const db = () => t.running.ctx.db.db;
  const push = (queue: string, order: object) => t.running.ctx.bus.push(queue, [JSON.stringify(order)]);

  it('user ban: every terminal gets {cmd:5, data:{type:50, content:reason}}; login is refused with the reason', async () => {
    const u = await t.newUser('ban');
    const app = await u.onTerminal(1);
    const [w0, w1] = [await u.socket(), await app.socket()];
    await db()
      .updateTable('im_user')
      .set({ is_banned: 1, reason: '发广告' })
      .where('id', '=', u.id)
      .execute();
    await push(RedisKey.USER_BANNED_QUEUE, { id: u.id, reason: '发广告' });
    for (const ws of [w0, w1]) {
      const f = await ws.next(isCmdType(CMD.SYSTEM, 50));
      expect(Object.keys(f).sort()).toEqual(['cmd', 'data']);
      expect(data(f).content).toBe('发广告');
    }
    const login = await webHttp(t)('post', '/login', {
      data: { terminal: 0, userName: u.userName, password: u.password },
    });
    expectFail(login, login.code);
    expect([200, 400, 401]).not.toContain(login.code);
    expect(login.message).toContain('发广告');
    const other = await t.newUser('obs');
    const seen = expectOk(await web(t, other)('get', `/user/find/${u.id}`));
    expect(seen).toMatchObject({ isBanned: true, reason: '发广告' });
  });

  it('group ban and unban: members get a TIP_TEXT; GroupVO carries isBanned/reason; sending is refused', async () => {
    const owner = await t.newUser('gbo');
    const m = await t.newUser('gbm');
    await t.befriend(owner, m);
    const g = expectOk(await web(t, owner)('post', '/group/create?groupName=ban', { data: { name: 'ban' } }));
    expectVoidOk(
      await web(t, owner)('post', '/group/invite', { data: { groupId: g.id, friendIds: [m.id] } }),
    );
    const wm = await m.socket();
    await db().updateTable('im_group').set({ is_banned: 1, reason: '违规' }).where('id', '=', g.id).execute();
    await push(RedisKey.GROUP_BANNED_QUEUE, { id: g.id, reason: '违规' });
    const tip = data(await wm.next(isCmdType(CMD.GROUP, MT.TIP_TEXT)));
    expect(tip.groupId).toBe(g.id);
    expect(tip.content).toContain('违规');
    expect(typeof tip.sendNickName).toBe('string');
    expect(expectOk(await web(t, m)('get', `/group/find/${g.id}`))).toMatchObject({
      isBanned: true,
      reason: '违规',
    });
    const listed = expectOk(await web(t, m)('get', '/group/list')).find((x: { id: number }) => x.id === g.id);
    expect(listed).toMatchObject({ isBanned: true });
    const send = await web(t, m)('post', '/message/group/send', {
      data: { groupId: g.id, content: 'x', type: 0, atUserIds: [] },
    });
    expectFail(send, 500);

    await db().updateTable('im_group').set({ is_banned: 0, reason: '' }).where('id', '=', g.id).execute();
    await push(RedisKey.GROUP_UNBAN_QUEUE, { id: g.id });
    await wm.next((f) => isCmdType(CMD.GROUP, MT.TIP_TEXT)(f) && data(f).groupId === g.id);
    expect(expectOk(await web(t, m)('get', `/group/find/${g.id}`)).isBanned).toBe(false);
    expectOk(
      await web(t, m)('post', '/message/group/send', {
        data: { groupId: g.id, content: 'ok again', type: 0, atUserIds: [] },
      }),
    );
    wm.close();
  });
});
