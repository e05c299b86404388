/**
 * Who sees which group messages: a late joiner nothing from before joining, a member who
 * left what came before leaving (for 30 days), an offline member everything on reconnect.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isGroup, makeGroup, T, text, type GMsg, type Group } from './support';
import { ENGINES, startTestServer, type TestServer } from '../../testing';

describe.each(ENGINES)('group message visibility on %s', (engine) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ engine });
  });
  afterAll(async () => {
    await t?.close();
  });

  const say = async (
    u: { api: { post: <X>(p: string, b: unknown) => Promise<{ data: X | null }> } },
    groupId: number,
    content: string,
  ) => (await u.api.post<GMsg>('/message/group/send', text(groupId, content))).data!;
  const texts = (list: GMsg[], groupId: number) =>
    list.filter((m) => m.groupId === groupId && m.type === T.TEXT).map((m) => m.content);

  it('a late joiner sees nothing from before joining, in the offline pull and in history', async () => {
    const owner = await t.newUser('own');
    const late = await t.newUser('late');
    const g = await makeGroup(t, owner, []);
    await say(owner, g.id, 'before-1');
    await say(owner, g.id, 'before-2'); // same second as the join: ids decide, not timestamps
    await t.befriend(owner, late);
    await owner.api.post('/group/invite', { groupId: g.id, friendIds: [late.id] });
    await say(owner, g.id, 'after');
    const offline = (await late.api.get<GMsg[]>('/message/group/loadOfflineMessage?minId=0')).data!;
    expect(texts(offline, g.id)).toEqual(['after']);
    expect(offline.some((m) => m.type === T.TIP_TEXT && m.content.includes('邀请'))).toBe(true);
    const history = (await late.api.get<GMsg[]>(`/message/group/history?groupId=${g.id}&page=1&size=50`))
      .data!;
    expect(texts(history, g.id)).toEqual(['after']);
  });

  it('a member who left keeps what came before leaving, and not what came after', async () => {
    const owner = await t.newUser('own');
    const bob = await t.newUser('bob');
    const g = await makeGroup(t, owner, [bob]);
    await say(owner, g.id, 'while-in');
    await bob.api.delete(`/group/quit/${g.id}`);
    await say(owner, g.id, 'after-leaving');
    const offline = (await bob.api.get<GMsg[]>('/message/group/loadOfflineMessage?minId=0')).data!;
    expect(texts(offline, g.id)).toEqual(['while-in']);
    const tips = offline.filter((m) => m.groupId === g.id && m.type === T.TIP_TEXT).map((m) => m.content);
    expect(tips).toContain('您已退出群聊');
    expect(tips.some((c) => c.includes('退出了群聊'))).toBe(false);
    const history = (await bob.api.get<GMsg[]>(`/message/group/history?groupId=${g.id}&page=1&size=50`))
      .data!;
    expect(texts(history, g.id)).toEqual(['while-in']);
    // The owner does not see bob's private tip.
    const ownerView = (await owner.api.get<GMsg[]>(`/message/group/history?groupId=${g.id}&page=1&size=50`))
      .data!;
    expect(ownerView.some((m) => m.content === '您已退出群聊')).toBe(false);
    expect((await bob.api.get<Group[]>('/group/list')).data!.find((x) => x.id === g.id)).toMatchObject({
      quit: true,
    });

    // Rejoining shows the new messages only, not those of the absence.
    await bob.api.post(`/friend/add?friendId=${owner.id}`);
    await owner.api.post('/group/invite', { groupId: g.id, friendIds: [bob.id] });
    await say(owner, g.id, 'back');
    const again = (await bob.api.get<GMsg[]>('/message/group/loadOfflineMessage?minId=0')).data!;
    expect(texts(again, g.id)).toEqual(['back']);
  });

  it('a member who left more than 30 days ago no longer gets the group', async () => {
    const owner = await t.newUser('own');
    const bob = await t.newUser('bob');
    const g = await makeGroup(t, owner, [bob]);
    await say(owner, g.id, 'old');
    await bob.api.delete(`/group/quit/${g.id}`);
    await t.running.ctx.db.db
      .updateTable('im_group_member')
      .set({ quit_time: new Date(Date.now() - 31 * 24 * 3600 * 1000) })
      .where('group_id', '=', g.id)
      .where('user_id', '=', bob.id)
      .execute();
    expect((await bob.api.get<Group[]>('/group/list')).data!.some((x) => x.id === g.id)).toBe(false);
    expect(
      texts((await bob.api.get<GMsg[]>('/message/group/loadOfflineMessage?minId=0')).data!, g.id),
    ).toEqual([]);
  });

  it('an offline member gets every message on reconnect, in order, and live ones after', async () => {
    const owner = await t.newUser('own');
    const bob = await t.newUser('bob');
    const g = await makeGroup(t, owner, [bob]);
    const first = await bob.socket();
    const seen = (await bob.api.get<GMsg[]>('/message/group/loadOfflineMessage?minId=0')).data!;
    const maxId = Math.max(0, ...seen.map((m) => m.id));
    first.close();
    await first.closed;
    const sent: GMsg[] = [];
    for (let i = 0; i < 5; i++) sent.push(await say(owner, g.id, `offline-${i}`));
    const ws = await bob.socket();
    const pulled = (await bob.api.get<GMsg[]>(`/message/group/loadOfflineMessage?minId=${maxId}`)).data!;
    expect(pulled.filter((m) => m.type === T.TEXT).map((m) => m.id)).toEqual(sent.map((m) => m.id));
    expect(pulled.map((m) => m.id)).toEqual([...pulled.map((m) => m.id)].sort((a, b) => a - b));
    const live = await say(owner, g.id, 'live');
    const frame = await ws.next(isGroup(T.TEXT, g.id));
    expect((frame.data as GMsg).id).toBe(live.id);
    ws.close();
  });

  it('a large backlog comes back complete, in order, across pages', async () => {
    const owner = await t.newUser('own');
    const bob = await t.newUser('bob');
    const g = await makeGroup(t, owner, [bob]);
    const start = (await say(owner, g.id, 'first')).id;
    const now = new Date();
    const rows = Array.from({ length: 2500 }, (_, i) => ({
      group_id: g.id,
      send_id: owner.id,
      send_nick_name: owner.nickName,
      content: `bulk-${i}`,
      type: T.TEXT,
      status: 0,
      send_time: now,
    }));
    for (let i = 0; i < rows.length; i += 250) {
      await t.running.ctx.db.db
        .insertInto('im_group_message')
        .values(rows.slice(i, i + 250))
        .execute();
    }
    const pulled = (await bob.api.get<GMsg[]>(`/message/group/loadOfflineMessage?minId=${start}`)).data!;
    const ids = pulled.map((m) => m.id);
    expect(pulled).toHaveLength(2500);
    expect(new Set(ids).size).toBe(2500);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(pulled[0]!.content).toBe('bulk-0');
    expect(pulled[2499]!.content).toBe('bulk-2499');
  });

  it('rows written by box-im (no join or quit ids) fall back to the join and quit times', async () => {
    const owner = await t.newUser('own');
    const [bob, carol] = [await t.newUser('bob'), await t.newUser('carol')];
    const g = await makeGroup(t, owner, []);
    const db = t.running.ctx.db.db;
    const ago = (min: number) => new Date(Date.now() - min * 60_000);
    const msg = (content: string, at: Date) => ({
      group_id: g.id,
      send_id: owner.id,
      content,
      type: T.TEXT,
      status: 0,
      send_time: at,
    });
    await db
      .insertInto('im_group_message')
      .values([msg('old', ago(10)), msg('new', ago(1))])
      .execute();
    await db
      .insertInto('im_group_member')
      .values([
        {
          group_id: g.id,
          user_id: bob.id,
          user_nick_name: 'bob',
          created_time: ago(5),
          quit: 0,
          quit_time: null,
        },
        {
          group_id: g.id,
          user_id: carol.id,
          user_nick_name: 'carol',
          created_time: ago(20),
          quit: 1,
          quit_time: ago(5),
        },
      ])
      .execute();
    const seen = async (u: typeof bob) =>
      texts((await u.api.get<GMsg[]>('/message/group/loadOfflineMessage?minId=0')).data!, g.id);
    expect(await seen(bob)).toEqual(['new']);
    expect(await seen(carol)).toEqual(['old']);
    const history = (await carol.api.get<GMsg[]>(`/message/group/history?groupId=${g.id}&page=1&size=10`))
      .data!;
    expect(texts(history, g.id)).toEqual(['old']);
  });
});
