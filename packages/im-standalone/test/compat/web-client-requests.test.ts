/**
 * box-im's unmodified web client (im-web, Vue 2 + axios) against our server: every request it
 * sends, in the shape it sends it (frontend reference §3–§6), and every field it reads back.
 * Black-box: real HTTP and WebSocket only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, TestSocket, type TestUser } from '../../testing';
import {
  CMD,
  FRIEND_VO,
  GROUP_MSG,
  GROUP_VO,
  MEMBER_VO,
  MT,
  PRIVATE_MSG,
  USER_VO,
  data,
  expectEpochMs,
  expectFields,
  expectOk,
  expectVoidOk,
  isCmdType,
  rawRequest,
  web,
  webHttp,
} from './support';

// A 1×1 PNG, as a pasted screenshot would be.
const PNG_1PX = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

/** The local message object ChatBox.vue builds and posts as is (buildTmpMessage + fields). */
function localMessage(
  me: number,
  target: { recvId?: number; groupId?: number },
  content: string,
  type = MT.TEXT,
  extra: Record<string, unknown> = {},
) {
  return {
    tmpId: String(Date.now()) + String(Math.floor(Math.random() * 1000)),
    ...target,
    content,
    type,
    receipt: false,
    sendId: me,
    sendTime: Date.now(),
    status: -1,
    selfSend: true,
    readedCount: 0,
    ...extra,
  };
}

describe('im-web against the server', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t?.close();
  });

  async function pair(): Promise<[TestUser, TestUser]> {
    const a = await t.newUser('wa');
    const b = await t.newUser('wb');
    await t.befriend(a, b);
    return [a, b];
  }

  describe('login and register pages (Login.vue, Register.vue)', () => {
    it('registers with {userName,password,confirmPassword} (no nickName) and logs in with terminal 0', async () => {
      const anon = webHttp(t);
      const userName = `web${Date.now() % 1e8}`;
      expectVoidOk(
        await anon('post', '/register', {
          data: { userName, password: 'secret1', confirmPassword: 'secret1' },
        }),
        'register',
      );
      const login = await anon('post', '/login', { data: { terminal: 0, userName, password: 'secret1' } });
      expectFields(expectOk(login, 'login'), {
        accessToken: 'string',
        accessTokenExpiresIn: 'number',
        refreshToken: 'string',
        refreshTokenExpiresIn: 'number',
      });
      // The nickName defaults to the userName (the web register form has no nickName field).
      const self = await webHttp(t, () => login.data.accessToken)('get', '/user/self');
      expect(expectOk(self).nickName).toBe(userName);
    });
  });

  describe('startup sequence (Home.vue init → loadStore, §4.1)', () => {
    it('GET /user/self answers the UserVO the userStore keeps', async () => {
      const [a] = await pair();
      const self = expectOk(await web(t, a)('get', '/user/self'));
      expectFields(self, { ...USER_VO, isBanned: 'boolean' });
      expect(self.id).toBe(a.id);
    });

    it('GET /friend/list answers FriendVOs with id, nickName, headImage, isDnd, deleted', async () => {
      const [a, b] = await pair();
      const list = expectOk(await web(t, a)('get', '/friend/list'));
      expect(Array.isArray(list)).toBe(true);
      const f = list.find((x: { id: number }) => x.id === b.id);
      expectFields(f, FRIEND_VO, 'friend');
      expect(f.deleted).toBe(false);
    });

    it('GET /group/list answers GroupVOs with every field the groupStore reads', async () => {
      const [a] = await pair();
      const http = web(t, a);
      expectOk(await http('post', '/group/create?groupName=启动群', { data: { name: '启动群' } }), 'create');
      const list = expectOk(await http('get', '/group/list'));
      expect(list).toHaveLength(1);
      expectFields(list[0], GROUP_VO, 'group');
      expect(list[0]).toMatchObject({ name: '启动群', ownerId: a.id, quit: false, isBanned: false });
    });

    it('GET /system/config answers webrtc.maxChannel and webrtc.iceServers[{urls,…}]', async () => {
      const [a] = await pair();
      const cfg = expectOk(await web(t, a)('get', '/system/config'));
      expectFields(cfg.webrtc, { maxChannel: 'number', iceServers: 'array' }, 'webrtc');
      for (const s of cfg.webrtc.iceServers) expectFields(s, { urls: 'string|array' }, 'iceServer');
    });

    it('WS login with a numeric devId is acked with cmd 0; each {cmd:1,data:{}} is answered {cmd:1,data:null}', async () => {
      const [a] = await pair();
      const raw: string[] = [];
      const ws = await TestSocket.login(t.url, a.api.accessToken!, Math.floor(Math.random() * 1e6));
      ws.ws.on('message', (m: Buffer) => raw.push(m.toString()));
      // wssocket.js sends the next heartbeat only after the previous ack, so each must be acked.
      for (let i = 0; i < 3; i++) {
        const ack = ws.next((f) => f.cmd === CMD.HEARTBEAT, 2000);
        ws.send({ cmd: 1, data: {} });
        const f = await ack;
        expect(f).toEqual({ cmd: 1, data: null });
      }
      expect(
        raw.every((r) => Object.keys(JSON.parse(r) as object).every((k) => k === 'cmd' || k === 'data')),
      ).toBe(true);
      ws.close();
    });

    it('the login ack frame is {cmd:0} with a null/absent data (connectCallBack then pulls offline messages)', async () => {
      const [a] = await pair();
      const WebSocket = (await import('ws')).default;
      const ws = new WebSocket(`${t.url.replace(/^http/, 'ws')}/im`);
      await new Promise((r) => ws.once('open', r));
      const first = new Promise<string>((r) => ws.once('message', (m: Buffer) => r(m.toString())));
      ws.send(JSON.stringify({ cmd: 0, data: { accessToken: a.api.accessToken, devId: 123456 } }));
      const frame = JSON.parse(await first) as { cmd: number; data?: unknown };
      expect(frame.cmd).toBe(0);
      expect(frame.data ?? null).toBeNull();
      ws.close(3000);
    });

    it('offline pulls ?minId=<max cached id> answer ascending VO lists with every field insertMessage reads', async () => {
      const [a, b] = await pair();
      const ha = web(t, a);
      const sent: number[] = [];
      for (const c of ['one', 'two', 'three']) {
        sent.push(
          expectOk(
            await ha('post', '/message/private/send', { data: localMessage(a.id, { recvId: b.id }, c) }),
          ).id,
        );
      }
      const hb = web(t, b);
      const all = expectOk(await hb('get', '/message/private/loadOfflineMessage?minId=0'));
      const texts = all.filter((m: { type: number }) => m.type === MT.TEXT);
      expect(texts.map((m: { id: number }) => m.id)).toEqual(sent);
      for (const m of all) expectFields(m, PRIVATE_MSG, `offline#${m.id}`);
      const ids = all.map((m: { id: number }) => m.id);
      expect([...ids].sort((x, y) => x - y)).toEqual(ids);
      expectEpochMs(texts[0].sendTime);
      // The cursor: only messages after the cached max id.
      const after = expectOk(await hb('get', `/message/private/loadOfflineMessage?minId=${sent[1]}`));
      expect(after.map((m: { id: number }) => m.id)).toEqual([sent[2]]);

      // Group pull (same cursor semantics).
      const g = expectOk(await ha('post', '/group/create?groupName=pull', { data: { name: 'pull' } }));
      expectVoidOk(
        await ha('post', '/group/invite', { data: { groupId: g.id, friendIds: [b.id] } }),
        'invite',
      );
      const gm = expectOk(
        await ha('post', '/message/group/send', {
          data: localMessage(a.id, { groupId: g.id }, 'hello group', MT.TEXT, { atUserIds: [] }),
        }),
      );
      const gAll = expectOk(await hb('get', '/message/group/loadOfflineMessage?minId=0'));
      const mine = gAll.find((m: { id: number }) => m.id === gm.id);
      expectFields(mine, GROUP_MSG, 'group offline');
      expect(mine).toMatchObject({ groupId: g.id, sendId: a.id, content: 'hello group' });
      const gAfter = expectOk(await hb('get', `/message/group/loadOfflineMessage?minId=${gm.id}`));
      expect(gAfter).toEqual([]);
    });

    it('GET /user/terminal/online?userIds=a,b answers [{userId, terminals}] for online users only', async () => {
      const [a, b] = await pair();
      const c = await t.newUser('wc');
      const aPhone = await a.onTerminal(1);
      const w1 = await a.socket();
      const w2 = await aPhone.socket();
      const w3 = await b.socket();
      const list = expectOk(await web(t, c)('get', `/user/terminal/online?userIds=${a.id},${b.id},${c.id}`));
      for (const x of list) expectFields(x, { userId: 'number', terminals: 'array' }, 'online');
      const byId = new Map(
        list.map((x: { userId: number; terminals: number[] }) => [x.userId, [...x.terminals].sort()]),
      );
      expect(byId.get(a.id)).toEqual([0, 1]);
      expect(byId.get(b.id)).toEqual([0]);
      expect(byId.has(c.id)).toBe(false);
      expect(expectOk(await web(t, c)('get', `/user/find/${a.id}`)).online).toBe(true);
      // Closing the page drops the user from the 30 s poll.
      w3.close();
      await w3.closed;
      await new Promise((r) => setTimeout(r, 200));
      const later = expectOk(await web(t, c)('get', `/user/terminal/online?userIds=${a.id},${b.id}`));
      expect(later.map((x: { userId: number }) => x.userId)).toEqual([a.id]);
      for (const w of [w1, w2]) w.close();
    });
  });

  describe('user card, friend pane, add-friend dialog', () => {
    it('GET /user/find/{id} answers online and isBanned booleans and reason', async () => {
      const [a, b] = await pair();
      const u = expectOk(await web(t, a)('get', `/user/find/${b.id}`));
      expectFields(u, { ...USER_VO, online: 'boolean', isBanned: 'boolean', reason: 'string|null|absent' });
      expect(u.online).toBe(false);
    });

    it('GET /user/findByName?name= answers users with online', async () => {
      const [a, b] = await pair();
      const list = expectOk(await web(t, a)('get', '/user/findByName', { params: { name: b.userName } }));
      const u = list.find((x: { id: number }) => x.id === b.id);
      expectFields(u, {
        id: 'number',
        userName: 'string',
        nickName: 'string',
        headImage: 'string|null',
        headImageThumb: 'string|null',
        online: 'boolean',
      });
    });

    it('POST /friend/add?friendId= (axios params, no body) then GET /friend/find/{id} (RTC callee)', async () => {
      const a = await t.newUser('wfa');
      const b = await t.newUser('wfb');
      expectVoidOk(await web(t, a)('post', '/friend/add', { params: { friendId: b.id } }), 'friend add');
      const f = expectOk(await web(t, b)('get', `/friend/find/${a.id}`));
      expectFields(f, { id: 'number', nickName: 'string', headImage: 'string|null' });
      expect(f.id).toBe(a.id);
    });

    it('POST /friend/add?friendId= with Content-Type: application/json and an empty body is accepted', async () => {
      const a = await t.newUser('wfe');
      const b = await t.newUser('wff');
      const r = await rawRequest(t, 'POST', `/friend/add?friendId=${b.id}`, {
        accessToken: a.api.accessToken!,
        'content-type': 'application/json;charset=UTF-8',
      });
      expectVoidOk(r, 'friend add with empty json body');
    });

    it('PUT /friend/dnd {friendId,isDnd} (chat-list menu) is void and shows in /friend/list', async () => {
      const [a, b] = await pair();
      const http = web(t, a);
      expectVoidOk(await http('put', '/friend/dnd', { data: { friendId: b.id, isDnd: true } }), 'dnd');
      const f = expectOk(await http('get', '/friend/list')).find((x: { id: number }) => x.id === b.id);
      expect(f.isDnd).toBe(true);
    });

    it('DELETE /friend/delete/{id} is void and the friend stays listed with deleted:true', async () => {
      const [a, b] = await pair();
      const http = web(t, a);
      expectVoidOk(await http('delete', `/friend/delete/${b.id}`), 'delete');
      const f = expectOk(await http('get', '/friend/list')).find((x: { id: number }) => x.id === b.id);
      expect(f?.deleted).toBe(true);
    });

    it('PUT /user/update with the whole UserVO copy (Setting.vue) is void and applied', async () => {
      const [a] = await pair();
      const http = web(t, a);
      const me = expectOk(await http('get', '/user/self'));
      const copy = { ...me, nickName: '新昵称', sex: 1, signature: '签名' };
      expectVoidOk(await http('put', '/user/update', { data: copy }), 'update');
      expect(expectOk(await http('get', '/user/self'))).toMatchObject({
        nickName: '新昵称',
        sex: 1,
        signature: '签名',
      });
    });
  });

  describe('private chat box (ChatBox.vue)', () => {
    it('POST /message/private/send with the whole local message object answers id, status, content, tmpId', async () => {
      const [a, b] = await pair();
      const body = localMessage(a.id, { recvId: b.id }, '你好 #微笑;', MT.TEXT, { fileId: null });
      const m = expectOk(await web(t, a)('post', '/message/private/send', { data: body }));
      expectFields(m, { ...PRIVATE_MSG, tmpId: 'string' });
      expect(m).toMatchObject({
        sendId: a.id,
        recvId: b.id,
        content: '你好 #微笑;',
        type: 0,
        tmpId: body.tmpId,
      });
      expect(m.status).toBeGreaterThanOrEqual(0);
      expectEpochMs(m.sendTime);
    });

    it('uploads an image (multipart, ?isPermanent=false) and sends it with fileId and JSON content', async () => {
      const [a, b] = await pair();
      const http = web(t, a);
      const form = new FormData();
      form.append('file', new Blob([PNG_1PX], { type: 'image/png' }), 'paste.png');
      const up = await fetch(`${t.url}/api/image/upload?isPermanent=false`, {
        method: 'POST',
        headers: { accessToken: a.api.accessToken! },
        body: form,
      });
      const img = (await up.json()) as { code: number; data: { originUrl: string; thumbUrl: string } };
      expect(img.code).toBe(200);
      expectFields(
        img.data,
        { originUrl: 'string', thumbUrl: 'string', width: 'number', height: 'number' },
        'upload',
      );
      expect(img.data.originUrl).toMatch(/^https?:\/\//);
      const content = JSON.stringify({
        originUrl: img.data.originUrl,
        thumbUrl: img.data.thumbUrl,
        width: 1,
        height: 1,
      });
      const m = expectOk(
        await http('post', '/message/private/send', {
          data: localMessage(a.id, { recvId: b.id }, content, MT.IMAGE, { fileId: 1732611234567 }),
        }),
      );
      expect(m).toMatchObject({ type: MT.IMAGE });
      expect(JSON.parse(m.content)).toMatchObject({ originUrl: img.data.originUrl });
    });

    it('POST /file/upload (multipart) answers the URL string with an empty message', async () => {
      const [a] = await pair();
      const form = new FormData();
      form.append('file', new Blob(['hello'], { type: 'text/plain' }), 'notes.txt');
      const up = await fetch(`${t.url}/api/file/upload`, {
        method: 'POST',
        headers: { accessToken: a.api.accessToken! },
        body: form,
      });
      const r = (await up.json()) as { code: number; message: string; data: unknown };
      expect(r.code).toBe(200);
      expect(typeof r.data).toBe('string');
      expect(r.data as string).toMatch(/^https?:\/\//);
    });

    it('DELETE /message/private/recall/{id} answers the RECALL VO (type 10, content = id) used by recallMessage', async () => {
      const [a, b] = await pair();
      const http = web(t, a);
      const m = expectOk(
        await http('post', '/message/private/send', { data: localMessage(a.id, { recvId: b.id }, 'oops') }),
      );
      const r = expectOk(await http('delete', `/message/private/recall/${m.id}`));
      expectFields(r, PRIVATE_MSG, 'recall');
      expect(r).toMatchObject({ type: MT.RECALL, sendId: a.id, recvId: b.id });
      expect(String(r.content)).toBe(String(m.id));
      expectEpochMs(r.sendTime);
    });

    it('PUT /message/private/readed?friendId= (no body) is void; GET maxReadedId answers a number', async () => {
      const [a, b] = await pair();
      const ha = web(t, a);
      const hb = web(t, b);
      const before = expectOk(await ha('get', `/message/private/maxReadedId?friendId=${b.id}`));
      expect(typeof before).toBe('number');
      const wb = await b.socket();
      const m = expectOk(
        await ha('post', '/message/private/send', { data: localMessage(a.id, { recvId: b.id }, 'read me') }),
      );
      await wb.next(isCmdType(CMD.PRIVATE, MT.TEXT));
      // Home.vue pulls offline messages after the WS ack; ChatBox then marks the chat read.
      expectOk(await hb('get', '/message/private/loadOfflineMessage?minId=0'));
      expectVoidOk(await hb('put', `/message/private/readed?friendId=${a.id}`), 'readed');
      const after = expectOk(await ha('get', `/message/private/maxReadedId?friendId=${b.id}`));
      expect(after).toBe(m.id);
      wb.close();
    });

    it('a message received live and read without an offline pull still counts as read (maxReadedId)', async () => {
      const [a, b] = await pair();
      const ha = web(t, a);
      const wb = await b.socket();
      const m = expectOk(
        await ha('post', '/message/private/send', { data: localMessage(a.id, { recvId: b.id }, 'live') }),
      );
      await wb.next(isCmdType(CMD.PRIVATE, MT.TEXT));
      expectVoidOk(await web(t, b)('put', `/message/private/readed?friendId=${a.id}`), 'readed');
      expect(expectOk(await ha('get', `/message/private/maxReadedId?friendId=${b.id}`))).toBe(m.id);
      wb.close();
    });

    it('GET /message/private/history?friendId&page&size=10 answers pages newest first', async () => {
      const [a, b] = await pair();
      const ha = web(t, a);
      const ids: number[] = [];
      for (let i = 0; i < 12; i++) {
        ids.push(
          expectOk(
            await ha('post', '/message/private/send', {
              data: localMessage(a.id, { recvId: b.id }, `h${i}`),
            }),
          ).id,
        );
      }
      const p1 = expectOk(
        await ha('get', '/message/private/history', { params: { page: 1, size: 10, friendId: b.id } }),
      );
      expect(p1).toHaveLength(10);
      for (const m of p1) expectFields(m, PRIVATE_MSG, 'history');
      expect(p1[0].id).toBe(ids[11]);
      const p2 = expectOk(
        await ha('get', '/message/private/history', { params: { page: 2, size: 10, friendId: b.id } }),
      );
      // 12 texts + the "you are now friends" tip; a short page ends the drawer.
      expect(p2.length).toBeLessThan(10);
      expect(p2.map((m: { id: number }) => m.id)).toEqual(expect.arrayContaining([ids[1], ids[0]]));
    });
  });

  describe('groups (Group.vue, ChatGroupSide.vue, ChatBox.vue)', () => {
    async function team() {
      const [a, b] = await pair();
      const c = await t.newUser('wgc');
      await t.befriend(a, c);
      const http = web(t, a);
      const g = expectOk(
        await http('post', `/group/create?groupName=${encodeURIComponent('开发组')}`, {
          data: { name: '开发组' },
        }),
      );
      expectVoidOk(
        await http('post', '/group/invite', { data: { groupId: g.id, friendIds: [b.id, c.id] } }),
        'invite',
      );
      return { a, b, c, g, http };
    }

    it('POST /group/create?groupName=x with body {name} answers a GroupVO', async () => {
      const [a] = await pair();
      const g = expectOk(await web(t, a)('post', '/group/create?groupName=abc', { data: { name: 'abc' } }));
      expectFields(g, GROUP_VO, 'created');
      expect(g).toMatchObject({ name: 'abc', ownerId: a.id, showGroupName: 'abc', quit: false });
    });

    it('GET /group/find/{id} and GET /group/members/{id} answer what the chat box and side panel read', async () => {
      const { a, b, c, g, http } = await team();
      const found = expectOk(await http('get', `/group/find/${g.id}`));
      expectFields(found, GROUP_VO, 'find');
      const members = expectOk(await http('get', `/group/members/${g.id}`));
      expect(members.map((m: { userId: number }) => m.userId).sort()).toEqual([a.id, b.id, c.id].sort());
      for (const m of members) expectFields(m, MEMBER_VO, `member ${m.userId}`);
    });

    it('PUT /group/modify with the whole GroupVO answers the GroupVO', async () => {
      const { g, http } = await team();
      const vo = expectOk(await http('get', `/group/find/${g.id}`));
      const r = expectOk(
        await http('put', '/group/modify', { data: { ...vo, notice: '公告', remarkNickName: '老大' } }),
      );
      expectFields(r, GROUP_VO, 'modify');
      expect(r).toMatchObject({ id: g.id, notice: '公告' });
      expect(expectOk(await http('get', `/group/find/${g.id}`))).toMatchObject({
        notice: '公告',
        showNickName: '老大',
      });
    });

    it('any member may invite their own friends (AddGroupMember is offered to every member)', async () => {
      const { b, g } = await team();
      const d = await t.newUser('wgd');
      await t.befriend(b, d);
      expectVoidOk(
        await web(t, b)('post', '/group/invite', { data: { groupId: g.id, friendIds: [d.id] } }),
        'member invite',
      );
      const members = expectOk(await web(t, b)('get', `/group/members/${g.id}`));
      expect(members.map((m: { userId: number }) => m.userId)).toContain(d.id);
    });

    it('a member saving the side panel (whole GroupVO, possibly stale name/notice) only changes their own remarks', async () => {
      const { b, g, http } = await team();
      const hb = web(t, b);
      const stale = expectOk(await hb('get', `/group/find/${g.id}`));
      const current = expectOk(await http('get', `/group/find/${g.id}`));
      expectOk(await http('put', '/group/modify', { data: { ...current, name: '新群名' } }), 'owner rename');
      const r = await hb('put', '/group/modify', {
        data: { ...stale, remarkGroupName: '我的备注', remarkNickName: '小b' },
      });
      expectFields(expectOk(r, 'member modify'), GROUP_VO, 'member modify');
      const ownerView = expectOk(await http('get', `/group/find/${g.id}`));
      expect(ownerView.name).toBe('新群名');
      expect(expectOk(await hb('get', `/group/find/${g.id}`))).toMatchObject({
        showGroupName: '我的备注',
        showNickName: '小b',
      });
    });

    it('POST /message/group/send with atUserIds as strings (DOM dataset) answers numeric atUserIds', async () => {
      const { a, b, g, http } = await team();
      const body = localMessage(a.id, { groupId: g.id }, '@bob hi', MT.TEXT, {
        atUserIds: [String(b.id)],
        receipt: true,
      });
      const m = expectOk(await http('post', '/message/group/send', { data: body }));
      expectFields(m, { ...GROUP_MSG, atUserIds: 'array', tmpId: 'string' }, 'group send');
      expect(m).toMatchObject({
        groupId: g.id,
        sendId: a.id,
        receipt: true,
        receiptOk: false,
        readedCount: 0,
        tmpId: body.tmpId,
      });
      expect(m.atUserIds).toEqual([b.id]);
    });

    it('PUT /message/group/readed?groupId=&messageId= is void; findReadedUsers answers [userId]', async () => {
      const { a, b, g, http } = await team();
      const m = expectOk(
        await http('post', '/message/group/send', {
          data: localMessage(a.id, { groupId: g.id }, 'receipt please', MT.TEXT, {
            receipt: true,
            atUserIds: [],
          }),
        }),
      );
      expectVoidOk(
        await web(t, b)('put', `/message/group/readed?groupId=${g.id}&messageId=${m.id}`),
        'group readed',
      );
      const users = expectOk(
        await http('get', '/message/group/findReadedUsers', { params: { groupId: g.id, messageId: m.id } }),
      );
      expect(users).toEqual([b.id]);
    });

    it('DELETE /message/group/recall/{id} answers the RECALL VO', async () => {
      const { a, g, http } = await team();
      const m = expectOk(
        await http('post', '/message/group/send', {
          data: localMessage(a.id, { groupId: g.id }, 'oops', MT.TEXT, { atUserIds: [] }),
        }),
      );
      const r = expectOk(await http('delete', `/message/group/recall/${m.id}`));
      expectFields(
        r,
        {
          id: 'number',
          groupId: 'number',
          sendId: 'number',
          content: 'string',
          type: 'number',
          status: 'number',
          sendTime: 'number',
        },
        'group recall',
      );
      expect(r).toMatchObject({ type: MT.RECALL, groupId: g.id, sendId: a.id });
      // chatStore.recallMessage builds "<sendNickName>撤回了一条消息" for group chats.
      expect(typeof r.sendNickName).toBe('string');
      expect(String(r.content)).toBe(String(m.id));
    });

    it('GET /message/group/history?groupId&page&size=10 answers pages newest first', async () => {
      const { a, g, http } = await team();
      const ids: number[] = [];
      for (let i = 0; i < 3; i++) {
        ids.push(
          expectOk(
            await http('post', '/message/group/send', {
              data: localMessage(a.id, { groupId: g.id }, `g${i}`, MT.TEXT, { atUserIds: [] }),
            }),
          ).id,
        );
      }
      const p1 = expectOk(
        await http('get', '/message/group/history', { params: { page: 1, size: 10, groupId: g.id } }),
      );
      for (const m of p1)
        expectFields(
          m,
          {
            id: 'number',
            groupId: 'number',
            sendId: 'number',
            type: 'number',
            status: 'number',
            sendTime: 'number',
            content: 'string',
          },
          'group history',
        );
      const textIds = p1.filter((m: { type: number }) => m.type === MT.TEXT).map((m: { id: number }) => m.id);
      expect(textIds).toEqual([...ids].reverse());
    });

    it('PUT /group/dnd {groupId,isDnd} is void and shows in /group/list', async () => {
      const { b, g } = await team();
      const hb = web(t, b);
      expectVoidOk(await hb('put', '/group/dnd', { data: { groupId: g.id, isDnd: true } }), 'group dnd');
      const mine = expectOk(await hb('get', '/group/list')).find((x: { id: number }) => x.id === g.id);
      expect(mine.isDnd).toBe(true);
    });

    it('DELETE /group/members/remove with a JSON body {groupId,userIds} removes the members', async () => {
      const { b, g, http } = await team();
      expectVoidOk(
        await http('delete', '/group/members/remove', { data: { groupId: g.id, userIds: [b.id] } }),
        'remove',
      );
      const members = expectOk(await http('get', `/group/members/${g.id}`));
      const row = members.find((m: { userId: number }) => m.userId === b.id);
      // box-im lists quit members with quit:true; absence is also fine for the side panel.
      if (row) expect(row.quit).toBe(true);
    });

    it('DELETE /group/quit/{id} (member) and DELETE /group/delete/{id} (owner) are void', async () => {
      const { c, g, http } = await team();
      expectVoidOk(await web(t, c)('delete', `/group/quit/${g.id}`), 'quit');
      const cList = expectOk(await web(t, c)('get', '/group/list'));
      const left = cList.find((x: { id: number }) => x.id === g.id);
      if (left) expect(left.quit).toBe(true);
      expectVoidOk(await http('delete', `/group/delete/${g.id}`), 'dissolve');
    });
  });

  describe('private calls (RtcPrivateVideo.vue, rtcPrivateApi.js)', () => {
    const OFFER = { type: 'offer', sdp: 'v=0\r\no=- 46117317 2 IN IP4 127.0.0.1\r\ns=-\r\n' };
    const ANSWER = { type: 'answer', sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n' };
    const CAND = {
      candidate: 'candidate:1 1 udp 2122260223 192.168.1.2 54400 typ host',
      sdpMid: '0',
      sdpMLineIndex: 0,
    };
    const jsonText = { 'Content-Type': 'application/json; charset=utf-8' };

    it('call/accept/candidate/handup with raw JSON string bodies relay the SDP as content the peer can JSON.parse', async () => {
      const [a, b] = await pair();
      const [wa, wb] = [await a.socket(), await b.socket()];
      const ha = web(t, a);
      const hb = web(t, b);
      expectVoidOk(
        await ha('post', `/webrtc/private/call?uid=${b.id}&mode=video`, {
          data: JSON.stringify(OFFER),
          headers: jsonText,
        }),
        'call',
      );
      const ring = data(await wb.next(isCmdType(CMD.PRIVATE, MT.RTC_CALL_VIDEO)));
      expect(ring).toMatchObject({ sendId: a.id, recvId: b.id });
      expect(JSON.parse(ring.content)).toEqual(OFFER);
      expectVoidOk(await hb('post', `/webrtc/private/heartbeat?uid=${a.id}`), 'callee heartbeat');
      expectVoidOk(
        await hb('post', `/webrtc/private/accept?uid=${a.id}`, {
          data: JSON.stringify(ANSWER),
          headers: jsonText,
        }),
        'accept',
      );
      const acc = data(await wa.next(isCmdType(CMD.PRIVATE, MT.RTC_ACCEPT)));
      expect(JSON.parse(acc.content)).toEqual(ANSWER);
      expectVoidOk(
        await ha('post', `/webrtc/private/candidate?uid=${b.id}`, {
          data: JSON.stringify(CAND),
          headers: jsonText,
        }),
        'candidate',
      );
      const cand = data(await wb.next(isCmdType(CMD.PRIVATE, MT.RTC_CANDIDATE)));
      expect(JSON.parse(cand.content)).toEqual(CAND);
      expectVoidOk(await ha('post', `/webrtc/private/handup?uid=${b.id}`), 'handup');
      expect(data(await wb.next(isCmdType(CMD.PRIVATE, MT.RTC_HANDUP)))).toMatchObject({
        sendId: a.id,
        recvId: b.id,
      });
      // The call record (ACT_RT_VIDEO) is a normal chat message for both sides.
      const rec = data(await wa.next(isCmdType(CMD.PRIVATE, MT.ACT_RT_VIDEO)));
      expectFields(rec, PRIVATE_MSG, 'call record');
      expect(rec.content).toMatch(/通话时长 \d\d:\d\d/);
      wa.close();
      wb.close();
    });

    it('callee no-answer: POST /failed?uid=&reason=对方无应答 reaches the caller as 105 with that text', async () => {
      const [a, b] = await pair();
      const [wa, wb] = [await a.socket(), await b.socket()];
      expectVoidOk(
        await web(t, a)('post', `/webrtc/private/call?uid=${b.id}&mode=voice`, {
          data: JSON.stringify(OFFER),
          headers: jsonText,
        }),
        'call',
      );
      await wb.next(isCmdType(CMD.PRIVATE, MT.RTC_CALL_VOICE));
      // rtcPrivateApi.js interpolates the reason into the URL; the browser percent-encodes it.
      expectVoidOk(
        await web(t, b)('post', `/webrtc/private/failed?uid=${a.id}&reason=${encodeURI('对方无应答')}`),
        'failed',
      );
      const f = data(await wa.next(isCmdType(CMD.PRIVATE, MT.RTC_FAILED)));
      expect(f.content).toBe('对方无应答');
      wa.close();
      wb.close();
    });

    it('reject and cancel (POST without body) are void and reach the peer as 103/104', async () => {
      const [a, b] = await pair();
      const [wa, wb] = [await a.socket(), await b.socket()];
      const ha = web(t, a);
      expectVoidOk(
        await ha('post', `/webrtc/private/call?uid=${b.id}&mode=voice`, {
          data: JSON.stringify(OFFER),
          headers: jsonText,
        }),
        'call 1',
      );
      await wb.next(isCmdType(CMD.PRIVATE, MT.RTC_CALL_VOICE));
      expectVoidOk(await web(t, b)('post', `/webrtc/private/reject?uid=${a.id}`), 'reject');
      await wa.next(isCmdType(CMD.PRIVATE, MT.RTC_REJECT));
      expectVoidOk(
        await ha('post', `/webrtc/private/call?uid=${b.id}&mode=voice`, {
          data: JSON.stringify(OFFER),
          headers: jsonText,
        }),
        'call 2',
      );
      await wb.next(isCmdType(CMD.PRIVATE, MT.RTC_CALL_VOICE));
      expectVoidOk(await ha('post', `/webrtc/private/cancel?uid=${b.id}`), 'cancel');
      await wb.next(isCmdType(CMD.PRIVATE, MT.RTC_CANCEL));
      wa.close();
      wb.close();
    });
  });
});
