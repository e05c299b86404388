/**
 * box-im's unmodified mobile client (im-uniapp) against our server. Its `common/request.js`
 * wraps `uni.request` with the raw `accessToken`, the default `Content-Type: application/json`
 * and `data: options.data || {}` — so every POST/PUT/DELETE carries a JSON body, `{}` when the
 * page passed none. Login is terminal 1 on every platform (frontend §8).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, TestSocket, type TestUser } from '../../testing';
import {
  CMD,
  GROUP_VO,
  MT,
  USER_VO,
  expectFail,
  expectFields,
  expectOk,
  expectVoidOk,
  isCmdType,
  rawRequest,
  uni,
  uniHttp,
} from './support';

const PNG_1PX = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

interface UniSession {
  userName: string;
  password: string;
  loginInfo: {
    accessToken: string;
    refreshToken: string;
    accessTokenExpiresIn: number;
    refreshTokenExpiresIn: number;
  };
  id: number;
}

describe('im-uniapp against the server', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t?.close();
  });

  let n = 0;
  /** register.vue then the automatic login (terminal 1), as the app does. */
  async function register(prefix = 'uni'): Promise<UniSession> {
    const anon = uniHttp(t);
    const userName = `${prefix}${Date.now() % 1e6}${n++}`;
    const password = 'secret12';
    expectVoidOk(
      await anon('POST', '/register', {
        userName,
        nickName: `昵称${n}`,
        password,
        confirmPassword: password,
      }),
      'register',
    );
    const login = await anon('POST', '/login', { terminal: 1, userName, password });
    const loginInfo = expectOk(login, 'login');
    const self = expectOk(await uniHttp(t, () => loginInfo.accessToken)('GET', '/user/self'));
    return { userName, password, loginInfo, id: self.id };
  }
  const api = (s: UniSession) => uniHttp(t, () => s.loginInfo.accessToken);

  describe('login / register pages', () => {
    it('register with nickName, then login {terminal:1,…} answers a LoginVO; the nickName is kept', async () => {
      const s = await register();
      expectFields(s.loginInfo, {
        accessToken: 'string',
        refreshToken: 'string',
        accessTokenExpiresIn: 'number',
        refreshTokenExpiresIn: 'number',
      });
      const self = expectOk(await api(s)('GET', '/user/self'));
      expectFields(self, USER_VO);
      expect(self.nickName).toMatch(/^昵称\d+$/);
    });

    it('a terminal-1 token logs in on the WebSocket and shows as terminal 1 (onlineApp)', async () => {
      const s = await register();
      const other = await register();
      const ws = await TestSocket.login(t.url, s.loginInfo.accessToken, Math.floor(Math.random() * 1e6));
      const list = expectOk(await api(other)('GET', `/user/terminal/online?userIds=${s.id}`));
      expect(list).toEqual([{ userId: s.id, terminals: [1] }]);
      ws.close();
    });
  });

  describe('App.onLaunch: refresh on launch', () => {
    it('PUT /refreshToken through request.js (stored accessToken + refreshToken headers, body {}) answers a new LoginVO', async () => {
      const s = await register();
      const r = await uniHttp(t, () => s.loginInfo.accessToken)('PUT', '/refreshToken', undefined, {
        refreshToken: s.loginInfo.refreshToken,
      });
      const next = expectOk(r, 'refresh');
      expectFields(next, {
        accessToken: 'string',
        refreshToken: 'string',
        accessTokenExpiresIn: 'number',
        refreshTokenExpiresIn: 'number',
      });
      // The new access token works for HTTP and the WebSocket, still as terminal 1.
      s.loginInfo = next;
      expectOk(await api(s)('GET', '/user/self'));
      const ws = await TestSocket.login(t.url, next.accessToken, 1);
      const other = await register();
      expect(expectOk(await api(other)('GET', `/user/terminal/online?userIds=${s.id}`))).toEqual([
        { userId: s.id, terminals: [1] },
      ]);
      ws.close();
    });

    it('reqRefreshToken (after a 401): PUT /refreshToken with only the refreshToken header', async () => {
      const s = await register();
      const r = await rawRequest(t, 'PUT', '/refreshToken', {
        refreshToken: s.loginInfo.refreshToken,
        'content-type': 'application/json',
      });
      expectFields(expectOk(r, 'refresh'), { accessToken: 'string', refreshToken: 'string' });
    });
  });

  describe('mine pages', () => {
    it('PUT /modifyPwd {oldPassword,newPassword,confirmPassword} is void; the new password logs in', async () => {
      const s = await register();
      expectVoidOk(
        await api(s)('PUT', '/modifyPwd', {
          oldPassword: s.password,
          newPassword: 'newpass9',
          confirmPassword: 'newpass9',
        }),
        'modifyPwd',
      );
      const anon = uniHttp(t);
      expectOk(
        await anon('POST', '/login', { terminal: 1, userName: s.userName, password: 'newpass9' }),
        'login with new password',
      );
      expectFail(
        await anon('POST', '/login', { terminal: 1, userName: s.userName, password: s.password }),
        10001,
        'old password',
      );
    });

    // mine-password.vue ignores the answer and keeps the stored loginInfo; box-im revokes no
    // token on a password change, so the app stays logged in. A server that revokes the
    // caller's own tokens sends the app, at its next request, through 401 → failed refresh →
    // exit() to the login page, which is pre-filled with the old stored password.
    // Deliberate deviation (issue "Foundation": changing the password revokes older tokens).
    // box-im kept every session alive; the app now gets 401, its refresh fails with a
    // message, and it returns to its login page, where the new password works.
    it('after PUT /modifyPwd the stored tokens stop working and the app logs in again', async () => {
      const s = await register();
      expectVoidOk(
        await api(s)('PUT', '/modifyPwd', {
          oldPassword: s.password,
          newPassword: 'newpass9',
          confirmPassword: 'newpass9',
        }),
        'modifyPwd',
      );
      const next = await api(s)('GET', '/user/self');
      const refreshed = await rawRequest(t, 'PUT', '/refreshToken', {
        refreshToken: s.loginInfo.refreshToken,
        'content-type': 'application/json',
      });
      expect({ next: next.code, refresh: refreshed.code, refreshMessage: refreshed.message }).toMatchObject({
        next: 401,
        refresh: 500,
        refreshMessage: '您的登录信息已过期，请重新登录',
      });
      const relogin = await rawRequest(
        t,
        'POST',
        '/login',
        { 'content-type': 'application/json' },
        JSON.stringify({ terminal: 1, userName: s.userName, password: 'newpass9' }),
      );
      expect(relogin.code).toBe(200);
    });

    it('PUT /modifyPwd with a wrong old password is a business error with a message (toast)', async () => {
      const s = await register();
      const r = await api(s)('PUT', '/modifyPwd', {
        oldPassword: 'wrong-old',
        newPassword: 'newpass9',
        confirmPassword: 'newpass9',
      });
      expect(r.code).not.toBe(200);
      expect([400, 401]).not.toContain(r.code); // 400 would exit() the app, 401 would refresh
      expectFail(r, r.code);
    });

    it('PUT /user/update with the whole userInfo (mine-edit) is void', async () => {
      const s = await register();
      const self = expectOk(await api(s)('GET', '/user/self'));
      expectVoidOk(await api(s)('PUT', '/user/update', { ...self, signature: '手机签名' }), 'update');
      expect(expectOk(await api(s)('GET', '/user/self')).signature).toBe('手机签名');
    });
  });

  describe('every non-GET request carries a JSON body ({} when none)', () => {
    it('POST /friend/add?friendId= with body {} adds the friend', async () => {
      const a = await register();
      const b = await register();
      expectVoidOk(await api(a)('POST', `/friend/add?friendId=${b.id}`), 'friend add');
      const list = expectOk(await api(a)('GET', '/friend/list'));
      expect(list.map((f: { id: number }) => f.id)).toContain(b.id);
    });

    it('PUT /friend/dnd {friendId,isDnd} (user-info switch)', async () => {
      const a = await register();
      const b = await register();
      expectVoidOk(await api(a)('POST', `/friend/add?friendId=${b.id}`), 'friend add');
      expectVoidOk(await api(a)('PUT', '/friend/dnd', { friendId: b.id, isDnd: true }), 'dnd');
    });

    it('send, PUT readed?friendId= and DELETE recall/{id} with body {}', async () => {
      const a = await register();
      const b = await register();
      expectVoidOk(await api(a)('POST', `/friend/add?friendId=${b.id}`), 'friend add');
      const msg = {
        tmpId: String(Date.now()) + '123',
        recvId: b.id,
        content: 'from phone',
        type: MT.TEXT,
        receipt: false,
        sendId: a.id,
        selfSend: true,
        sendTime: Date.now(),
        status: -1,
      };
      const m = expectOk(await api(a)('POST', '/message/private/send', msg), 'send');
      expect(m.tmpId).toBe(msg.tmpId);
      expectVoidOk(await api(b)('PUT', `/message/private/readed?friendId=${a.id}`), 'readed');
      const r = expectOk(await api(a)('DELETE', `/message/private/recall/${m.id}`), 'recall');
      expect(r).toMatchObject({ type: MT.RECALL, content: String(m.id) });
    });

    it('DELETE /friend/delete/{id} with body {}', async () => {
      const a = await register();
      const b = await register();
      expectVoidOk(await api(a)('POST', `/friend/add?friendId=${b.id}`), 'friend add');
      expectVoidOk(await api(a)('DELETE', `/friend/delete/${b.id}`), 'friend delete');
    });
  });

  describe('group pages', () => {
    async function makeGroup(owner: UniSession) {
      const self = expectOk(await api(owner)('GET', '/user/self'));
      // group-edit.vue initNewGroup(): name `<userName>创建的群聊`, the user's avatar, ownerId.
      const body = {
        name: `${self.userName}创建的群聊`.slice(0, 20),
        headImage: 'https://img.example/a.png',
        headImageThumb: 'https://img.example/a_t.png',
        ownerId: self.id,
      };
      return { body, g: expectOk(await api(owner)('POST', '/group/create', body), 'group create') };
    }

    it('POST /group/create {name, headImage, headImageThumb, ownerId} answers a GroupVO with them', async () => {
      const s = await register('g');
      const { body, g } = await makeGroup(s);
      expectFields(g, GROUP_VO);
      expect(g).toMatchObject({
        name: body.name,
        ownerId: s.id,
        headImage: body.headImage,
        headImageThumb: body.headImageThumb,
      });
    });

    it('invite, PUT /group/modify with the whole group, DELETE quit/{id}, delete/{id} with body {}', async () => {
      const a = await register('g');
      const b = await register('g');
      expectVoidOk(await api(a)('POST', `/friend/add?friendId=${b.id}`), 'friend add');
      const { g } = await makeGroup(a);
      expectVoidOk(await api(a)('POST', '/group/invite', { groupId: g.id, friendIds: [b.id] }), 'invite');
      const found = expectOk(await api(a)('GET', `/group/find/${g.id}`));
      const mod = expectOk(await api(a)('PUT', '/group/modify', { ...found, notice: '手机公告' }), 'modify');
      expectFields(mod, GROUP_VO, 'modify');
      expectVoidOk(await api(b)('PUT', '/group/dnd', { groupId: g.id, isDnd: true }), 'group dnd');
      expectVoidOk(await api(b)('DELETE', `/group/quit/${g.id}`), 'quit');
      expectVoidOk(await api(a)('DELETE', `/group/delete/${g.id}`), 'dissolve');
    });

    it('group send from the app (atUserIds numbers, receipt) reaches members over the WebSocket', async () => {
      const a = await register('g');
      const b = await register('g');
      expectVoidOk(await api(a)('POST', `/friend/add?friendId=${b.id}`), 'friend add');
      const { g } = await makeGroup(a);
      expectVoidOk(await api(a)('POST', '/group/invite', { groupId: g.id, friendIds: [b.id] }), 'invite');
      const wb = await TestSocket.login(t.url, b.loginInfo.accessToken, 7);
      const m = expectOk(
        await api(a)('POST', '/message/group/send', {
          tmpId: `${Date.now()}001`,
          groupId: g.id,
          content: 'hi @x',
          type: 0,
          receipt: true,
          atUserIds: [b.id],
        }),
        'group send',
      );
      const f = await wb.next(isCmdType(CMD.GROUP, MT.TEXT));
      expect(f.data).toMatchObject({ id: m.id, groupId: g.id, atUserIds: [b.id], receipt: true });
      wb.close();
    });
  });

  describe('uploads (image-upload.vue, file-upload.vue send no accessToken header)', () => {
    // box-im excludes /*/upload from auth, and the app's uni.uploadFile / lsj-upload calls send
    // no token. Only the voice recorders send one.
    // Deliberate deviation (issue "Files and media": uploads require a logged-in user; box-im
    // left them open to anyone). box-im's app uploads images and files without its token,
    // so it needs ANONYMOUS_UPLOADS=on (im-platform's test/files/anonymous-uploads.test.ts) or the header
    // fix that its voice recorder already has.
    it('POST /image/upload?isPermanent=false&thumbSize=50 without a token is refused with code 400', async () => {
      const form = new FormData();
      form.append('file', new Blob([PNG_1PX], { type: 'image/png' }), 'photo.png');
      const res = await fetch(`${t.url}/api/image/upload?isPermanent=false&thumbSize=50`, {
        method: 'POST',
        body: form,
      });
      const body = (await res.json()) as { code: number; message: string; data: unknown };
      expect(body).toEqual({ code: 400, message: '未登录', data: null });
    });

    it('POST /file/upload without a token is refused with code 400 (same deviation)', async () => {
      const form = new FormData();
      form.append('file', new Blob(['pdf?'], { type: 'application/pdf' }), 'doc.pdf');
      const res = await fetch(`${t.url}/api/file/upload`, { method: 'POST', body: form });
      const body = (await res.json()) as { code: number; message: string; data: unknown };
      expect(body).toEqual({ code: 400, message: '未登录', data: null });
    });

    it('the voice recorder upload (with the raw accessToken header) succeeds', async () => {
      const s = await register();
      const form = new FormData();
      form.append('file', new Blob([Buffer.from('ID3fake-mp3')], { type: 'audio/mpeg' }), 'voice.mp3');
      const res = await fetch(`${t.url}/api/file/upload`, {
        method: 'POST',
        headers: { accessToken: s.loginInfo.accessToken },
        body: form,
      });
      const body = (await res.json()) as { code: number; message: string; data: unknown };
      expect(body.code, `message: ${body.message}`).toBe(200);
    });
  });

  it('the harness-made users also work as app users (sanity)', async () => {
    const u: TestUser = await t.newUser('uh', 1);
    expectOk(await uni(t, u)('GET', '/user/self'));
  });
});
