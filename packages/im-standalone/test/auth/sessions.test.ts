/**
 * Accounts as connected terminals see them: presence (online state follows the sockets) and
 * a password change closing every open connection.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestServer, type TestServer } from '../../testing';

describe.each(ENGINES)('accounts and connections on %s', (engine) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ engine });
  });
  afterAll(() => t.close());

  it('finds users by id and name with online state', async () => {
    const a = await t.newUser('finder');
    const b = await t.newUser('target');
    const found = await a.api.get(`/user/find/${b.id}`);
    expect(found.data).toMatchObject({ id: b.id, userName: b.userName, online: false });
    const ws = await b.socket();
    expect((await a.api.get(`/user/find/${b.id}`)).data.online).toBe(true);
    const byName = await a.api.get(`/user/findByName?name=${encodeURIComponent(b.userName.slice(0, 8))}`);
    expect(byName.data.some((u: { id: number; online: boolean }) => u.id === b.id && u.online)).toBe(true);
    const online = await a.api.get(`/user/terminal/online?userIds=${a.id},${b.id}`);
    expect(online.data).toEqual([{ userId: b.id, terminals: [0] }]);
    ws.close();
  });

  it('revokes older tokens and closes open connections when the password changes', async () => {
    const u = await t.newUser('pwd');
    const ws = await (await u.onTerminal(1)).socket();
    const wrongOld = await u.api.put('/modifyPwd', { oldPassword: 'bad', newPassword: 'newpass1' });
    expect(wrongOld).toMatchObject({ code: 500, message: '旧密码不正确' });
    const tooShort = await u.api.put('/modifyPwd', { oldPassword: u.password, newPassword: '123' });
    expect(tooShort.code).toBe(500);
    expect(tooShort.message).toContain('newPassword');
    expect((await u.api.put('/modifyPwd', { oldPassword: u.password, newPassword: 'newpass1' })).code).toBe(
      200,
    );
    expect((await ws.next((f) => f.cmd === 2)).data).toBe('您已在其他地方登录，将被强制下线');
    expect((await ws.closed).code).toBe(3000);
    expect((await u.api.get('/user/self')).code).toBe(401);
    const refresh = await t.anon.request('PUT', '/refreshToken', undefined, {
      refreshToken: u.tokens.refreshToken,
    });
    expect(refresh.code).toBe(500);
    expect(
      (await t.anon.post('/login', { terminal: 0, userName: u.userName, password: u.password })).code,
    ).toBe(10001);
    expect(
      (await t.anon.post('/login', { terminal: 0, userName: u.userName, password: 'newpass1' })).code,
    ).toBe(200);
  });
});
