import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestApp, type TestApp } from '@box-im/im-platform/testing';

describe.each(ENGINES)('user endpoints on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ engine });
  });
  afterAll(() => t.close());

  it('gives clear errors for unknown ids and bad id lists', async () => {
    const a = await t.newUser('err');
    expect(await a.api.get('/user/find/987654')).toMatchObject({ code: 500, message: '用户不存在' });
    const bad = await a.api.get('/user/find/abc');
    expect(bad.code).toBe(500);
    expect(bad.message).toContain('id');
    const list = await a.api.get('/user/terminal/online?userIds=1,x');
    expect(list.code).toBe(500);
    expect(list.message).toContain('1,x');
  });

  it('updates only the own profile, keeps the user name, ignores unknown fields', async () => {
    const a = await t.newUser('upd');
    const b = await t.newUser('other');
    const self = (await a.api.get('/user/self')).data;
    const res = await a.api.put('/user/update', {
      ...self,
      userName: 'hacked',
      nickName: '新昵称',
      signature: 'hi',
      sex: 1,
      online: true,
      somethingElse: 42,
    });
    expect(res.code).toBe(200);
    expect((await a.api.get('/user/self')).data).toMatchObject({
      userName: a.userName,
      nickName: '新昵称',
      signature: 'hi',
      sex: 1,
    });
    const other = await a.api.put('/user/update', { id: b.id, nickName: 'x' });
    expect(other).toMatchObject({ code: 500, message: '不允许修改其他用户的信息' });
    const blank = await a.api.put('/user/update', { id: a.id, nickName: '' });
    expect(blank.code).toBe(500);
    expect(blank.message).toContain('nickName');
  });

  it('refuses sensitive words in user and nick names', async () => {
    await t.running.ctx.repos.sensitiveWords.add('坏词');
    await t.running.ctx.jobs.find((j) => j.name === 'sensitive-word-reload')!.runNow!();
    expect((await t.anon.post('/register', { userName: 'x坏词', password: 'secret' })).message).toBe(
      '用户名包含敏感字符',
    );
    expect(
      (await t.anon.post('/register', { userName: 'okname', nickName: '坏-词', password: 'secret' })).message,
    ).toBe('昵称包含敏感字符');
  });

  it('serves the client configuration and the OpenAPI document', async () => {
    const a = await t.newUser('sys');
    const cfg = await a.api.get('/system/config');
    expect(cfg.data).toEqual({
      webrtc: {
        maxChannel: 9,
        iceServers: [{ urls: 'stun:stun.l.google.com:19302', username: null, credential: null }],
      },
      friendRequest: false,
    });
    const doc = (await t.running.app.inject('/api/doc')).json<{
      openapi: string;
      paths: Record<string, unknown>;
    }>();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/login', '/api/user/self', '/api/user/find/{id}']),
    );
  });

  it('answers unknown API paths with the envelope and a message', async () => {
    const res = await t.anon.get('/no/such/thing');
    expect(res).toMatchObject({ status: 200, code: 500 });
    expect(res.message).toContain('/api/no/such/thing');
  });
});
