/**
 * The administration API (issue 15) on every engine: only administrators reach it; bans
 * stop the user's tokens and logins with the reason; sensitive words change at once;
 * statistics per day; every action in the audit log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestApp, type TestApp, type TestUser } from '@box-im/im-platform/testing';

const today = () => new Date().toISOString().slice(0, 10);

describe.each(ENGINES)('admin API on %s', (engine) => {
  let t: TestApp;
  let boss: TestUser;
  beforeAll(async () => {
    t = await startTestApp({ engine });
    boss = await t.newUser('boss');
    expect(await t.running.ctx.services.admin.setAdminByName(boss.userName, true, 'test')).toBeTruthy();
  });
  afterAll(() => t.close());

  it('refuses everyone who is not an administrator with 403, in both languages', async () => {
    const plain = await t.newUser('plain');
    const zh = await plain.api.get('/admin/users');
    expect(zh).toMatchObject({ code: 403, message: '仅系统管理员可以访问', data: null });
    expect(zh.headers.get('x-error-key')).toBe('NOT_ADMIN');
    const en = await plain.api.request('GET', '/admin/audit', undefined, { 'x-im-language': 'en' });
    expect(en).toMatchObject({ code: 403, message: 'Only system administrators may do this' });
    expect((await t.anon.get('/admin/self')).code).toBe(400);
    expect((await boss.api.get('/admin/self')).data).toMatchObject({ id: boss.id, isAdmin: true });
  });

  it('searches users and groups, paged', async () => {
    const a = await t.newUser('findme');
    await t.newUser('findme');
    await t.newUser('findme');
    const page1 = await boss.api.get('/admin/users?keyword=findme&page=1&size=2');
    expect(page1.data).toMatchObject({ total: 3, page: 1, size: 2 });
    expect(page1.data.records).toHaveLength(2);
    const page2 = await boss.api.get('/admin/users?keyword=findme&page=2&size=2');
    expect(page2.data.records).toHaveLength(1);
    expect(page2.data.records[0]).toMatchObject({ id: a.id, isBanned: false, isAdmin: false });
    const everyone = await boss.api.get('/admin/users');
    expect(everyone.data.total).toBeGreaterThanOrEqual(4);
    expect(everyone.data.records[0].id).toBe(a.id + 2); // newest first
    expect((await boss.api.get('/admin/groups')).code).toBe(200);
    const byId = await boss.api.get(`/admin/users?keyword=${a.id}`);
    expect(byId.data.records.map((u: { id: number }) => u.id)).toContain(a.id);
    expect((await boss.api.get('/admin/users?keyword=100%25_')).data.total).toBe(0);

    const group = (await a.api.post('/group/create', { name: '搜索用群' })).data;
    const groups = await boss.api.get('/admin/groups?keyword=搜索用');
    expect(groups.data).toMatchObject({ total: 1 });
    expect(groups.data.records[0]).toMatchObject({ id: group.id, ownerId: a.id, isBanned: false });
    const bad = await boss.api.get('/admin/users?page=1e300');
    expect(bad.code).toBe(500);
    expect(bad.message).toContain('page');
  });

  it('bans a user with a reason: requests and logins are refused at once; unban lets them back', async () => {
    const u = await t.newUser('villain');
    expect((await boss.api.post('/admin/user/ban', { userId: u.id, reason: '  ' })).message).toBe(
      '请填写封禁原因',
    );
    expect((await boss.api.post('/admin/user/ban', { userId: boss.id, reason: 'x' })).message).toBe(
      '不能封禁自己',
    );
    expect((await boss.api.post('/admin/user/ban', { userId: 9_999_999, reason: 'x' })).message).toBe(
      '用户不存在：9999999',
    );
    expect((await boss.api.post('/admin/user/ban', { userId: u.id, reason: '发广告' })).code).toBe(200);
    const self = await u.api.get('/user/self');
    expect(self.code).toBe(500);
    expect(self.message).toContain('发广告');
    const login = await t.anon.post('/login', { terminal: 0, userName: u.userName, password: u.password });
    expect(login.message).toContain('发广告');
    const found = await boss.api.get(`/admin/users?keyword=${u.userName}`);
    expect(found.data.records[0]).toMatchObject({ isBanned: true, reason: '发广告' });

    expect((await boss.api.post('/admin/user/unban', { userId: u.id })).code).toBe(200);
    const again = await t.anon.post('/login', { terminal: 0, userName: u.userName, password: u.password });
    expect(again.code).toBe(200);
  });

  it('bans and unbans a group: its members cannot send meanwhile', async () => {
    const owner = await t.newUser('gown');
    const group = (await owner.api.post('/group/create', { name: 'bad group' })).data;
    expect((await boss.api.post('/admin/group/ban', { groupId: group.id, reason: '违规' })).code).toBe(200);
    const refused = await owner.api.post('/message/group/send', { groupId: group.id, content: 'x', type: 0 });
    expect(refused.message).toContain('违规');
    expect((await boss.api.post('/admin/group/unban', { groupId: group.id })).code).toBe(200);
    const sent = await owner.api.post('/message/group/send', { groupId: group.id, content: 'y', type: 0 });
    expect(sent.code).toBe(200);
    expect((await boss.api.post('/admin/group/ban', { groupId: 9_999_999, reason: 'x' })).message).toBe(
      '群聊不存在：9999999',
    );
  });

  it('manages sensitive words, effective at once on this process', async () => {
    const add = await boss.api.post('/admin/words', { content: '禁语词' });
    expect(add.code).toBe(200);
    const id = add.data as number;
    expect((await boss.api.post('/admin/words', { content: '禁语词' })).message).toBe('敏感词已存在：禁语词');
    expect((await boss.api.post('/admin/words', { content: ' ' })).message).toBe('敏感词不能为空');
    const u = await t.newUser('speaker');
    const refused = await u.api.put('/user/update', { id: u.id, nickName: '我是禁语词' });
    expect(refused.message).toBe('昵称包含敏感字符');

    expect((await boss.api.put(`/admin/words/${id}`, { enabled: false })).code).toBe(200);
    expect((await boss.api.get('/admin/words')).data).toContainEqual(
      expect.objectContaining({ id, content: '禁语词', enabled: false }),
    );
    expect((await u.api.put('/user/update', { id: u.id, nickName: '我是禁语词' })).code).toBe(200);

    expect((await boss.api.put(`/admin/words/${id}`, { content: '新禁语', enabled: true })).code).toBe(200);
    expect((await u.api.put('/user/update', { id: u.id, nickName: '新禁语呀' })).message).toBe(
      '昵称包含敏感字符',
    );
    expect((await boss.api.delete(`/admin/words/${id}`)).code).toBe(200);
    expect((await u.api.put('/user/update', { id: u.id, nickName: '新禁语呀' })).code).toBe(200);
    expect((await boss.api.delete(`/admin/words/${id}`)).message).toBe(`敏感词不存在：${id}`);
  });

  it('counts registrations, active users and messages per day', async () => {
    const before = (await boss.api.get(`/admin/stats?from=${today()}&to=${today()}`)).data[0];
    const a = await t.newUser('stat');
    const b = await t.newUser('stat');
    await t.befriend(a, b);
    await a.api.post('/message/private/send', { recvId: b.id, content: 'one', type: 0 });
    await a.api.post('/message/private/send', { recvId: b.id, content: 'two', type: 0 });
    const group = (await b.api.post('/group/create', { name: 'stats' })).data;
    await b.api.post('/message/group/send', { groupId: group.id, content: 'three', type: 0 });
    const after = (await boss.api.get(`/admin/stats?from=${today()}&to=${today()}`)).data;
    expect(after).toHaveLength(1);
    expect(after[0].date).toBe(today());
    expect(after[0].registrations - before.registrations).toBe(2);
    expect(after[0].messages - before.messages).toBeGreaterThanOrEqual(3);
    expect(after[0].activeUsers - before.activeUsers).toBe(2);

    const week = await boss.api.get('/admin/stats?from=2020-01-01&to=2020-01-07');
    expect(week.data.map((d: { date: string }) => d.date)).toEqual(
      [1, 2, 3, 4, 5, 6, 7].map((d) => `2020-01-0${d}`),
    );
    expect(week.data[0]).toEqual({ date: '2020-01-01', registrations: 0, activeUsers: 0, messages: 0 });
    for (const q of ['from=2020-02-01&to=2020-01-01', 'from=2020-01-01&to=2021-01-01'])
      expect((await boss.api.get(`/admin/stats?${q}`)).message).toContain('统计日期范围无效');
    expect((await boss.api.get('/admin/stats?from=yesterday&to=today')).message).toContain('from');
  });

  it('writes every action to the audit log, newest first and paged', async () => {
    const u = await t.newUser('audited');
    await boss.api.post('/admin/user/ban', { userId: u.id, reason: '刷屏' });
    await boss.api.post('/admin/user/unban', { userId: u.id });
    const log = await boss.api.get('/admin/audit?page=1&size=2');
    expect(log.data.total).toBeGreaterThanOrEqual(8);
    expect(log.data.records).toHaveLength(2);
    expect(log.data.records[0]).toMatchObject({
      adminId: boss.id,
      adminName: boss.userName,
      action: 'USER_UNBAN',
      targetType: 'user',
      targetId: u.id,
    });
    expect(log.data.records[1]).toMatchObject({ action: 'USER_BAN', targetId: u.id, reason: '刷屏' });
    expect(Math.abs(log.data.records[1].createdTime - Date.now())).toBeLessThan(60_000);
    const all = (await boss.api.get('/admin/audit?size=100')).data.records.map(
      (r: { action: string }) => r.action,
    );
    for (const action of [
      'ADMIN_GRANT',
      'GROUP_BAN',
      'GROUP_UNBAN',
      'WORD_ADD',
      'WORD_UPDATE',
      'WORD_DELETE',
    ])
      expect(all).toContain(action);
  });
});
