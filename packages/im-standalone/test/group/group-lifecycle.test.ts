/**
 * Groups end to end over HTTP and real WebSockets: create, find, list, modify, invite,
 * members, quit, remove, kick, dissolve, do-not-disturb, with the permission checks and
 * the pushes each member (and nobody else) gets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestServer, type TestServer, type TestSocket, type TestUser } from '../../testing';
import { GROUP, gm, isGroup, makeGroup, T, type Group } from './support';

describe.each(ENGINES)('groups on %s', (engine) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ engine });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('creates a group whose only member is the owner, and syncs the owner’s other terminal', async () => {
    const owner = await t.newUser('own');
    const phone = await (await owner.onTerminal(1)).socket();
    const res = await owner.api.post<Group>('/group/create?groupName=x', {
      name: ' 好友群 ',
      notice: 'hello',
      ownerId: 999,
      dissolve: true,
    });
    expect(res.code).toBe(200);
    expect(res.data).toMatchObject({
      name: '好友群',
      ownerId: owner.id,
      notice: 'hello',
      showGroupName: '好友群',
      showNickName: owner.nickName,
      quit: false,
      dissolve: false,
      isBanned: false,
    });
    const pushed = gm(await phone.next(isGroup(T.GROUP_NEW)));
    expect(JSON.parse(pushed.content)).toMatchObject({ id: res.data!.id, name: '好友群' });
    const members = await owner.api.get<{ userId: number }[]>(`/group/members/${res.data!.id}`);
    expect(members.data!.map((m) => m.userId)).toEqual([owner.id]);
    expect((await owner.api.get<Group[]>('/group/list')).data!.map((g) => g.id)).toContain(res.data!.id);
    phone.close();
  });

  it('rejects bad input with a message naming the problem', async () => {
    const u = await t.newUser('bad');
    expect((await u.api.post('/group/create', { name: '' })).message).toMatch(/name/);
    expect((await u.api.post('/group/create', { name: 'x'.repeat(21) })).message).toMatch(/name/);
    expect((await u.api.post('/group/create', { name: '   ' })).message).toBe('群名称不可为空');
    const missing = await u.api.get('/group/find/99999999');
    expect([missing.code, missing.message]).toEqual([500, '群组不存在']);
    expect((await u.api.delete('/group/delete/99999999')).message).toBe('群组不存在');
    expect((await u.api.delete('/group/quit/99999999')).message).toBe('群组不存在');
    expect((await u.api.get('/group/members/abc')).message).toMatch(/groupId/);
    expect((await u.api.post('/group/invite', { groupId: 1, friendIds: [] })).message).toMatch(/friendIds/);
    const many = Array.from({ length: 51 }, (_, i) => i + 1);
    expect((await u.api.post('/group/invite', { groupId: 1, friendIds: many })).message).toMatch(/friendIds/);
  });

  it('modify: members set their own remarks; only the owner changes name/notice/avatar; never owner or dissolve', async () => {
    const owner = await t.newUser('own');
    const bob = await t.newUser('bob');
    const outsider = await t.newUser('out');
    const g = await makeGroup(t, owner, [bob]);
    const bobWs = await bob.socket();

    const remark = await bob.api.put<Group>('/group/modify', {
      ...g,
      remarkGroupName: 'my team',
      remarkNickName: 'bobby',
    });
    expect(remark.code).toBe(200);
    expect(remark.data).toMatchObject({ showGroupName: 'my team', showNickName: 'bobby', name: 'team' });
    const mine = remark.data!;
    const rename = await bob.api.put('/group/modify', { ...mine, name: 'hijacked' });
    expect([rename.code, rename.message]).toEqual([500, '只有群主才能修改群名称、群公告和群头像']);
    expect((await bob.api.put('/group/modify', { ...mine, notice: 'x' })).code).toBe(500);
    // Saving remarks from a stale copy keeps the shared fields as they are.
    const stale = await bob.api.put<Group>('/group/modify', {
      ...mine,
      name: 'stale',
      remarkNickName: 'bobby2',
    });
    expect(stale.data).toMatchObject({ name: 'team', showNickName: 'bobby2', showGroupName: 'my team' });
    expect((await outsider.api.put('/group/modify', g)).message).toBe('您不是群聊的成员');

    const res = await owner.api.put<Group>('/group/modify', {
      ...g,
      name: 'renamed',
      notice: 'new rules',
      ownerId: bob.id,
      dissolve: true,
      isBanned: true,
    });
    expect(res.data).toMatchObject({
      name: 'renamed',
      notice: 'new rules',
      ownerId: owner.id,
      dissolve: false,
      isBanned: false,
    });
    // Bob is told: a tip and the shared fields (his remark stays his).
    const tip = gm(await bobWs.next(isGroup(T.TIP_TEXT, g.id)));
    expect(tip.content).toContain('renamed');
    const update = JSON.parse(gm(await bobWs.next(isGroup(T.GROUP_NEW, g.id))).content) as Partial<Group>;
    expect(update).toMatchObject({ id: g.id, name: 'renamed', notice: 'new rules' });
    expect(update.showGroupName).toBeUndefined();
    expect((await bob.api.get<Group>(`/group/find/${g.id}`)).data).toMatchObject({
      name: 'renamed',
      showGroupName: 'my team',
      ownerId: owner.id,
    });
    bobWs.close();
  });

  it('invite: needs membership and friendship, skips current members, announces to everyone', async () => {
    const owner = await t.newUser('own');
    const [bob, carol, dave] = [await t.newUser('bob'), await t.newUser('carol'), await t.newUser('dave')];
    const outsider = await t.newUser('out');
    const g = await makeGroup(t, owner, [bob]);
    const [ownerWs, bobWs, carolWs, outWs] = await Promise.all([
      owner.socket(),
      bob.socket(),
      carol.socket(),
      outsider.socket(),
    ]);

    expect((await owner.api.post('/group/invite', { groupId: g.id, friendIds: [carol.id] })).message).toBe(
      '部分用户不是您的好友，邀请失败',
    );
    await t.befriend(outsider, carol);
    expect((await outsider.api.post('/group/invite', { groupId: g.id, friendIds: [carol.id] })).message).toBe(
      '您不在群聊中,邀请失败',
    );
    expect((await owner.api.post('/group/invite', { groupId: 99999999, friendIds: [bob.id] })).message).toBe(
      '群组不存在',
    );

    await t.befriend(owner, carol);
    await t.befriend(owner, dave);
    const res = await owner.api.post('/group/invite', {
      groupId: g.id,
      friendIds: [bob.id, carol.id, carol.id],
    });
    expect(res.code).toBe(200);
    const added = JSON.parse(gm(await carolWs.next(isGroup(T.GROUP_NEW, g.id))).content) as Group;
    expect(added).toMatchObject({ id: g.id, name: 'team', quit: false, showNickName: carol.nickName });
    for (const ws of [ownerWs, bobWs, carolWs]) {
      const tip = gm(await ws.next(isGroup(T.TIP_TEXT, g.id)));
      expect(tip.content).toBe(`'${owner.nickName}'邀请'${carol.nickName}'加入了群聊`);
    }
    // Bob was already in: no GROUP_NEW for him, and his join point did not move.
    expect(await bobWs.settle(isGroup(T.GROUP_NEW, g.id), 200)).toHaveLength(0);
    expect(await outWs.settle((f) => f.cmd === GROUP, 100)).toHaveLength(0);
    const members = (await bob.api.get(`/group/members/${g.id}`)).data as { userId: number }[];
    expect(members.map((m) => m.userId).sort()).toEqual([owner.id, bob.id, carol.id].sort());
    // Inviting only people already in is a no-op.
    expect((await owner.api.post('/group/invite', { groupId: g.id, friendIds: [bob.id] })).code).toBe(200);
    for (const ws of [ownerWs, bobWs, carolWs, outWs]) ws.close();
  });

  it('invite: the 3000-member limit counts only new members', async () => {
    const owner = await t.newUser('own');
    const [bob, carol] = [await t.newUser('bob'), await t.newUser('carol')];
    const g = await makeGroup(t, owner, [bob]);
    await t.befriend(owner, carol);
    // Fill the group to 2999 members with rows of made-up users.
    const now = new Date();
    const filler = Array.from({ length: 2997 }, (_, i) => ({
      group_id: g.id,
      user_id: 10_000_000 + i,
      created_time: now,
    }));
    for (let i = 0; i < filler.length; i += 500) {
      await t.running.ctx.db.db
        .insertInto('im_group_member')
        .values(filler.slice(i, i + 500))
        .execute();
    }
    // Bob is already in: inviting him with carol makes 3000, not 3001.
    expect(
      (await owner.api.post('/group/invite', { groupId: g.id, friendIds: [bob.id, carol.id] })).code,
    ).toBe(200);
    const dave = await t.newUser('dave');
    await t.befriend(owner, dave);
    const full = await owner.api.post('/group/invite', { groupId: g.id, friendIds: [dave.id] });
    expect([full.code, full.message]).toEqual([500, '群聊人数不能大于3000人']);
  });

  it('invite: concurrent invitations never overshoot the limit', async () => {
    const owner = await t.newUser('own');
    const [bob, carol] = [await t.newUser('bob'), await t.newUser('carol')];
    const g = await makeGroup(t, owner, []);
    await t.befriend(owner, bob);
    await t.befriend(owner, carol);
    const now = new Date();
    const filler = Array.from({ length: 2998 }, (_, i) => ({
      group_id: g.id,
      user_id: 20_000_000 + i,
      created_time: now,
    }));
    for (let i = 0; i < filler.length; i += 500) {
      await t.running.ctx.db.db
        .insertInto('im_group_member')
        .values(filler.slice(i, i + 500))
        .execute();
    }
    const results = await Promise.all(
      [bob, carol].map((u) => owner.api.post('/group/invite', { groupId: g.id, friendIds: [u.id] })),
    );
    expect(results.map((r) => r.code).sort()).toEqual([200, 500]);
    const active = await t.running.ctx.db.db
      .selectFrom('im_group_member')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('group_id', '=', g.id)
      .where('quit', '=', 0)
      .executeTakeFirstOrThrow();
    expect(Number(active.n)).toBe(3000);
  });

  it('members list: members only, former members included, online first', async () => {
    const owner = await t.newUser('own');
    const [bob, carol] = [await t.newUser('bob'), await t.newUser('carol')];
    const outsider = await t.newUser('out');
    const g = await makeGroup(t, owner, [bob, carol]);
    expect((await outsider.api.get(`/group/members/${g.id}`)).message).toBe('您不是群聊的成员');
    expect((await outsider.api.get(`/group/find/${g.id}`)).message).toBe('您未加入群聊');
    expect((await carol.api.delete(`/group/quit/${g.id}`)).code).toBe(200);
    const ws = await bob.socket();
    const members = (await owner.api.get(`/group/members/${g.id}`)).data as {
      userId: number;
      online: boolean;
      quit: boolean;
    }[];
    expect(members[0]).toMatchObject({ userId: bob.id, online: true, quit: false });
    expect(members.find((m) => m.userId === carol.id)).toMatchObject({ quit: true, online: false });
    // A former member still sees the group (as quit) and its member list.
    expect((await carol.api.get<Group>(`/group/find/${g.id}`)).data).toMatchObject({ quit: true });
    expect((await carol.api.get<Group[]>('/group/list')).data!.find((x) => x.id === g.id)).toMatchObject({
      quit: true,
    });
    ws.close();
  });

  it('quit: the owner cannot; a member leaves, gets a tip and GROUP_DEL; the others are told', async () => {
    const owner = await t.newUser('own');
    const [bob, carol] = [await t.newUser('bob'), await t.newUser('carol')];
    const outsider = await t.newUser('out');
    const g = await makeGroup(t, owner, [bob, carol]);
    expect((await owner.api.delete(`/group/quit/${g.id}`)).message).toBe('您是群主，不可退出群聊');
    expect((await outsider.api.delete(`/group/quit/${g.id}`)).message).toBe('您不是群聊的成员');
    const [ownerWs, bobWs, carolWs, outWs] = await Promise.all([
      owner.socket(),
      bob.socket(),
      carol.socket(),
      outsider.socket(),
    ]);
    expect((await bob.api.delete(`/group/quit/${g.id}`)).code).toBe(200);
    expect(gm(await bobWs.next(isGroup(T.TIP_TEXT, g.id))).content).toBe('您已退出群聊');
    await bobWs.next(isGroup(T.GROUP_DEL, g.id));
    for (const ws of [ownerWs, carolWs])
      expect(gm(await ws.next(isGroup(T.TIP_TEXT, g.id))).content).toBe(`'${bob.nickName}'退出了群聊`);
    expect(await bobWs.settle(isGroup(T.TIP_TEXT, g.id), 200)).toHaveLength(0);
    expect(await outWs.settle((f) => f.cmd === GROUP, 50)).toHaveLength(0);
    expect((await bob.api.delete(`/group/quit/${g.id}`)).message).toBe('您不是群聊的成员');
    expect(
      (await bob.api.post('/message/group/send', { groupId: g.id, content: 'hi', type: 0 })).message,
    ).toBe('您已不在群聊里面，无法发送消息');
    for (const ws of [ownerWs, bobWs, carolWs, outWs]) ws.close();
  });

  it('remove and kick: owner only, never the owner or non-members; the removed and the rest are told', async () => {
    const owner = await t.newUser('own');
    const [bob, carol, dave] = [await t.newUser('bob'), await t.newUser('carol'), await t.newUser('dave')];
    const outsider = await t.newUser('out');
    const g = await makeGroup(t, owner, [bob, carol, dave]);
    const remove = (u: TestUser, userIds: number[]) =>
      u.api.delete('/group/members/remove', { groupId: g.id, userIds });
    expect((await remove(bob, [carol.id])).message).toBe('您没有权限');
    expect((await bob.api.delete(`/group/kick/${g.id}?userId=${carol.id}`)).message).toBe(
      '您不是群主，没有权限踢人',
    );
    expect((await remove(owner, [owner.id])).message).toBe('不允许移除自己');
    expect((await remove(owner, [outsider.id])).message).toBe(`用户${outsider.id}不在群聊中`);
    expect((await remove(owner, [])).message).toMatch(/userIds/);
    expect(
      (await owner.api.delete('/group/members/remove', { groupId: 99999999, userIds: [bob.id] })).message,
    ).toBe('群组不存在');

    const [ownerWs, bobWs, carolWs, daveWs] = await Promise.all([
      owner.socket(),
      bob.socket(),
      carol.socket(),
      dave.socket(),
    ]);
    expect((await remove(owner, [bob.id, carol.id])).code).toBe(200);
    for (const ws of [bobWs, carolWs]) {
      expect(gm(await ws.next(isGroup(T.TIP_TEXT, g.id))).content).toBe('您已被移出群聊');
      await ws.next(isGroup(T.GROUP_DEL, g.id));
    }
    for (const ws of [ownerWs, daveWs])
      expect(gm(await ws.next(isGroup(T.TIP_TEXT, g.id))).content).toContain('移出了群聊');
    expect(await daveWs.settle(isGroup(T.GROUP_DEL, g.id), 100)).toHaveLength(0);

    expect((await owner.api.delete(`/group/kick/${g.id}?userId=${dave.id}`)).code).toBe(200);
    await daveWs.next(isGroup(T.GROUP_DEL, g.id));
    const left = (
      (await owner.api.get(`/group/members/${g.id}`)).data as { userId: number; quit: boolean }[]
    ).filter((m) => !m.quit);
    expect(left.map((m) => m.userId)).toEqual([owner.id]);
    for (const ws of [ownerWs, bobWs, carolWs, daveWs]) ws.close();
  });

  it('dissolve: owner only; everyone gets the tip and GROUP_DEL; the group then refuses changes', async () => {
    const owner = await t.newUser('own');
    const bob = await t.newUser('bob');
    const outsider = await t.newUser('out');
    const g = await makeGroup(t, owner, [bob]);
    expect((await bob.api.delete(`/group/delete/${g.id}`)).message).toBe('只有群主才有权限解除群聊');
    const [ownerWs, bobWs, outWs] = await Promise.all([owner.socket(), bob.socket(), outsider.socket()]);
    expect((await owner.api.delete(`/group/delete/${g.id}`)).code).toBe(200);
    for (const ws of [ownerWs, bobWs]) {
      expect(gm(await ws.next(isGroup(T.TIP_TEXT, g.id))).content).toBe(`'${owner.nickName}'解散了群聊`);
      await ws.next(isGroup(T.GROUP_DEL, g.id));
    }
    expect(await outWs.settle((f) => f.cmd === GROUP, 100)).toHaveLength(0);
    expect((await owner.api.delete(`/group/delete/${g.id}`)).message).toBe("群组'team'已解散");
    expect((await owner.api.put('/group/modify', g)).message).toBe("群组'team'已解散");
    expect(
      (await bob.api.post('/message/group/send', { groupId: g.id, content: 'hi', type: 0 })).message,
    ).toBe("群组'team'已解散");
    expect((await bob.api.get<Group>(`/group/find/${g.id}`)).data).toMatchObject({
      dissolve: true,
      quit: true,
    });
    for (const ws of [ownerWs, bobWs, outWs]) ws.close();
  });

  it('do-not-disturb is per member and synced to the caller’s other terminals', async () => {
    const owner = await t.newUser('own');
    const outsider = await t.newUser('out');
    const g = await makeGroup(t, owner, []);
    const phone = await (await owner.onTerminal(1)).socket();
    expect((await owner.api.put('/group/dnd', { groupId: g.id, isDnd: true })).code).toBe(200);
    expect(gm(await phone.next(isGroup(T.GROUP_DND, g.id))).content).toBe('true');
    expect((await owner.api.get<Group>(`/group/find/${g.id}`)).data!.isDnd).toBe(true);
    expect((await outsider.api.put('/group/dnd', { groupId: g.id, isDnd: true })).message).toBe(
      '您不是群聊的成员',
    );
    expect((await owner.api.put('/group/dnd', { groupId: g.id })).message).toMatch(/isDnd/);
    phone.close();
  });
});

export type { TestSocket };
