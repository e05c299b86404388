/**
 * Group admins, mute and ownership transfer (issue 15): who may do what, the send refusals
 * muted members get, the tips, and the new VO fields.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestApp, type TestApp, type TestUser } from '@box-im/im-platform/testing';

const key = (res: { headers: Headers }) => res.headers.get('x-error-key');

describe.each(ENGINES)('group admins and mute on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ engine });
  });
  afterAll(() => t.close());

  async function world() {
    const owner = await t.newUser('mo');
    const admin = await t.newUser('ma');
    const member = await t.newUser('mm');
    const other = await t.newUser('mx');
    for (const u of [admin, member, other]) await t.befriend(owner, u);
    const groupId: number = (await owner.api.post('/group/create', { name: '禁言群' })).data.id;
    await owner.api.post('/group/invite', { groupId, friendIds: [admin.id, member.id, other.id] });
    return { owner, admin, member, other, groupId };
  }
  const send = (u: TestUser, groupId: number, content = 'hi') =>
    u.api.post('/message/group/send', { groupId, content, type: 0 });
  const tips = async (u: TestUser, groupId: number) =>
    (await u.api.get(`/message/group/history?groupId=${groupId}&page=1&size=50`)).data
      .filter((m: { type: number }) => m.type === 21)
      .map((m: { content: string }) => m.content);

  it('lets the owner appoint admins, who may edit the notice and remove members but not admins', async () => {
    const { owner, admin, member, other, groupId } = await world();
    expect(key(await admin.api.put('/group/admin', { groupId, userId: member.id, isAdmin: true }))).toBe(
      'OWNER_ONLY',
    );
    expect(key(await owner.api.put('/group/admin', { groupId, userId: owner.id, isAdmin: true }))).toBe(
      'TARGET_IS_OWNER',
    );
    const made = await owner.api.put('/group/admin', { groupId, userId: admin.id, isAdmin: true });
    expect(made.code, made.message).toBe(200);
    const members = (await member.api.get(`/group/members/${groupId}`)).data;
    expect(members.find((m: { userId: number }) => m.userId === admin.id)).toMatchObject({ isAdmin: true });
    expect(members.find((m: { userId: number }) => m.userId === member.id)).toMatchObject({
      isAdmin: false,
      muteUntil: null,
    });
    expect((await admin.api.get(`/group/find/${groupId}`)).data).toMatchObject({
      isAdmin: true,
      allMuted: false,
    });
    expect(await tips(owner, groupId)).toContain(`'${owner.nickName}'将'${admin.nickName}'设为管理员`);

    const group = (await admin.api.get(`/group/find/${groupId}`)).data;
    expect((await admin.api.put('/group/modify', { ...group, notice: '管理员公告' })).code).toBe(200);
    expect((await member.api.get(`/group/find/${groupId}`)).data.notice).toBe('管理员公告');
    expect(key(await admin.api.put('/group/modify', { ...group, name: 'renamed' }))).toBe('OWNER_ONLY_EDIT');
    const memberGroup = (await member.api.get(`/group/find/${groupId}`)).data;
    expect(key(await member.api.put('/group/modify', { ...memberGroup, notice: 'no' }))).toBe(
      'OWNER_ONLY_EDIT',
    );

    expect(key(await member.api.delete('/group/members/remove', { groupId, userIds: [other.id] }))).toBe(
      'OWNER_ONLY_REMOVE',
    );
    expect(key(await admin.api.delete('/group/members/remove', { groupId, userIds: [owner.id] }))).toBe(
      'CANNOT_REMOVE_OWNER',
    );
    expect((await admin.api.delete('/group/members/remove', { groupId, userIds: [other.id] })).code).toBe(
      200,
    );
    await owner.api.put('/group/admin', { groupId, userId: member.id, isAdmin: true });
    expect(key(await admin.api.delete('/group/members/remove', { groupId, userIds: [member.id] }))).toBe(
      'ADMIN_OVER_ADMIN',
    );
    await owner.api.put('/group/admin', { groupId, userId: member.id, isAdmin: false });
    expect(await tips(owner, groupId)).toContain(`'${owner.nickName}'取消了'${member.nickName}'的管理员`);
  });

  it('mutes a member for a while: their send is refused saying until when; the owner and admins still speak', async () => {
    const { owner, admin, member, other, groupId } = await world();
    await owner.api.put('/group/admin', { groupId, userId: admin.id, isAdmin: true });
    expect(key(await member.api.put('/group/mute', { groupId, userId: other.id, minutes: 5 }))).toBe(
      'ADMIN_ONLY',
    );
    expect(key(await admin.api.put('/group/mute', { groupId, userId: owner.id, minutes: 5 }))).toBe(
      'TARGET_IS_OWNER',
    );
    const bad = await admin.api.put('/group/mute', { groupId, userId: member.id, minutes: 100000 });
    expect(bad.code).toBe(500);
    expect(bad.message).toContain('minutes');

    expect((await admin.api.put('/group/mute', { groupId, userId: member.id, minutes: 90 })).code).toBe(200);
    const until = new Date(t.clock.now().getTime() + 90 * 60_000);
    const stamp = `${until.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
    const refused = await send(member, groupId);
    expect(key(refused)).toBe('MEMBER_MUTED');
    expect(refused.message).toBe(`您已被禁言，解除时间：${stamp}`);
    const en = await member.api.as(member.tokens.accessToken, 'en').post('/message/group/send', {
      groupId,
      content: 'hi',
      type: 0,
    });
    expect(en.message).toBe(`You are muted in this group until ${stamp}`);
    expect((await member.api.get(`/group/find/${groupId}`)).data.muteUntil).toBeGreaterThan(
      Date.now() - 60_000,
    );
    expect((await send(other, groupId)).code).toBe(200);
    expect(await tips(owner, groupId)).toContain(`'${member.nickName}'被'${admin.nickName}'禁言1小时30分钟`);

    // a later mute replaces the earlier one; it ends by itself (access tokens last 30 minutes)
    await owner.api.put('/group/mute', { groupId, userId: member.id, minutes: 20 });
    t.clock.advance(21 * 60_000);
    expect((await send(member, groupId, 'free again')).code).toBe(200);
    await owner.api.put('/group/mute', { groupId, userId: member.id, minutes: 10 });
    expect(key(await send(member, groupId))).toBe('MEMBER_MUTED');
    await owner.api.put('/group/mute', { groupId, userId: member.id, minutes: 0 });
    expect((await send(member, groupId)).code).toBe(200);
    expect(await tips(owner, groupId)).toContain(`'${member.nickName}'被'${owner.nickName}'解除禁言`);
    // admins do not mute admins
    await owner.api.put('/group/admin', { groupId, userId: other.id, isAdmin: true });
    expect(key(await admin.api.put('/group/mute', { groupId, userId: other.id, minutes: 5 }))).toBe(
      'ADMIN_OVER_ADMIN',
    );
  });

  it('mutes the whole group except the owner and admins', async () => {
    const { owner, admin, member, groupId } = await world();
    await owner.api.put('/group/admin', { groupId, userId: admin.id, isAdmin: true });
    expect(key(await member.api.put('/group/muteAll', { groupId, muted: true }))).toBe('ADMIN_ONLY');
    expect((await admin.api.put('/group/muteAll', { groupId, muted: true })).code).toBe(200);
    expect((await member.api.get(`/group/find/${groupId}`)).data.allMuted).toBe(true);
    const refused = await send(member, groupId);
    expect(key(refused)).toBe('ALL_MUTED');
    expect(refused.message).toBe('本群已开启全员禁言，仅群主和管理员可以发言');
    expect((await send(admin, groupId)).code).toBe(200);
    expect((await send(owner, groupId)).code).toBe(200);
    await owner.api.put('/group/muteAll', { groupId, muted: false });
    expect((await send(member, groupId)).code).toBe(200);
    const all = await tips(member, groupId);
    expect(all).toContain(`'${admin.nickName}'开启了全员禁言`);
    expect(all).toContain(`'${owner.nickName}'关闭了全员禁言`);
  });

  it('hands the group to another member', async () => {
    const { owner, admin, member, groupId } = await world();
    await owner.api.put('/group/admin', { groupId, userId: admin.id, isAdmin: true });
    expect(key(await admin.api.put('/group/transfer', { groupId, userId: member.id }))).toBe('OWNER_ONLY');
    const stranger = await t.newUser('ms');
    expect(key(await owner.api.put('/group/transfer', { groupId, userId: stranger.id }))).toBe(
      'USER_NOT_IN_GROUP',
    );
    const moved = await owner.api.put('/group/transfer', { groupId, userId: admin.id });
    expect(moved.code, moved.message).toBe(200);
    expect(moved.data.ownerId).toBe(admin.id);
    expect((await member.api.get(`/group/find/${groupId}`)).data.ownerId).toBe(admin.id);
    expect((await admin.api.get(`/group/find/${groupId}`)).data.isAdmin).toBe(false);
    expect(key(await owner.api.put('/group/admin', { groupId, userId: member.id, isAdmin: true }))).toBe(
      'OWNER_ONLY',
    );
    expect((await admin.api.put('/group/admin', { groupId, userId: owner.id, isAdmin: true })).code).toBe(
      200,
    );
    expect((await owner.api.delete(`/group/quit/${groupId}`)).code).toBe(200);
    expect(await tips(member, groupId)).toContain(`'${owner.nickName}'将群主转让给'${admin.nickName}'`);
  });
});
