/**
 * WebSocket pushes as box-im's clients route them (Home.vue handlePrivateMessage /
 * handleGroupMessage, frontend §4.3): the frame `{cmd, data}`, the fields each handler reads,
 * who receives what (backend §5.3 push matrix) and multi-terminal sync (terminal 0 + 1).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Frame, startTestServer, type TestServer, type TestSocket, type TestUser } from '../../testing';
import {
  CMD,
  FRIEND_VO,
  GROUP_MSG,
  GROUP_VO,
  MT,
  PRIVATE_MSG,
  data,
  expectEpochMs,
  expectFields,
  expectOk,
  expectVoidOk,
  isCmdType,
  peerOf,
  quietFor,
  web,
  wsLoginOutcome,
} from './support';

const FORCE_LOGOUT_TEXT = '您已在其他地方登录，将被强制下线';

/** A frame as the client's `JSON.parse(e.data)` sees it: only `cmd` and `data`. */
function expectFrame(f: Frame, cmd: number): void {
  expect(Object.keys(f).sort()).toEqual(['cmd', 'data']);
  expect(f.cmd).toBe(cmd);
}

describe('WebSocket pushes read by box-im clients', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t?.close();
  });

  /** A user logged in on the web (terminal 0) and the app (terminal 1), both with sockets. */
  async function twoTerminals(prefix: string) {
    const webUser = await t.newUser(prefix, 0);
    const app = await webUser.onTerminal(1);
    app.id = webUser.id;
    const [webWs, appWs] = await Promise.all([webUser.socket(), app.socket()]);
    return { user: webUser, app, webWs, appWs };
  }

  const sockets: TestSocket[] = [];
  async function sock(u: TestUser, devId?: number) {
    const s = await u.socket(devId);
    sockets.push(s);
    return s;
  }
  afterAll(() => sockets.forEach((s) => s.close()));

  describe('cmd 3 private messages', () => {
    it('a sent message reaches every terminal of the receiver and the sender’s other terminal with tmpId', async () => {
      const a = await twoTerminals('pa');
      const b = await twoTerminals('pb');
      await t.befriend(a.user, b.user);
      const tmpId = `${Date.now()}042`;
      const sent = expectOk(
        await web(t, a.user)('post', '/message/private/send', {
          data: { tmpId, recvId: b.user.id, content: 'multi', type: MT.TEXT },
        }),
      );
      for (const [ws, who] of [
        [b.webWs, 'receiver web'],
        [b.appWs, 'receiver app'],
        [a.appWs, 'sender app'],
      ] as const) {
        const f = await ws.next(isCmdType(CMD.PRIVATE, MT.TEXT));
        expectFrame(f, CMD.PRIVATE);
        expectFields(f.data, PRIVATE_MSG, who);
        expect(data(f)).toMatchObject({
          id: sent.id,
          sendId: a.user.id,
          recvId: b.user.id,
          content: 'multi',
        });
        expectEpochMs(data(f).sendTime);
      }
    });

    it('the echo to the sender’s other terminal carries the tmpId (chatStore dedupe)', async () => {
      const a = await twoTerminals('pt');
      const b = await t.newUser('pu');
      await t.befriend(a.user, b);
      const tmpId = `${Date.now()}777`;
      await web(t, a.user)('post', '/message/private/send', {
        data: { tmpId, recvId: b.id, content: 'x', type: MT.TEXT },
      });
      const echo = data(await a.appWs.next(isCmdType(CMD.PRIVATE, MT.TEXT)));
      expect(echo.tmpId).toBe(tmpId);
    });

    it('recall (type 10, content = original id) reaches the receiver and the sender’s other terminal', async () => {
      const a = await twoTerminals('ra');
      const b = await twoTerminals('rb');
      await t.befriend(a.user, b.user);
      const http = web(t, a.user);
      const m = expectOk(
        await http('post', '/message/private/send', {
          data: { recvId: b.user.id, content: 'oops', type: MT.TEXT },
        }),
      );
      expectOk(await http('delete', `/message/private/recall/${m.id}`));
      for (const [ws, me] of [
        [b.webWs, b.user.id],
        [b.appWs, b.user.id],
        [a.appWs, a.user.id],
      ] as const) {
        const f = await ws.next(isCmdType(CMD.PRIVATE, MT.RECALL));
        expectFields(f.data, PRIVATE_MSG, 'recall');
        expect(String(data(f).content)).toBe(String(m.id));
        expect(peerOf(data(f), me)).toBe(me === a.user.id ? b.user.id : a.user.id);
      }
    });

    it('readed: READED (11) to the reader’s other terminals, RECEIPT (12) with sendId = reader to the friend', async () => {
      const a = await twoTerminals('da');
      const b = await twoTerminals('db');
      await t.befriend(a.user, b.user);
      expectOk(
        await web(t, a.user)('post', '/message/private/send', {
          data: { recvId: b.user.id, content: 'read?', type: MT.TEXT },
        }),
      );
      await b.webWs.next(isCmdType(CMD.PRIVATE, MT.TEXT));
      expectVoidOk(await web(t, b.user)('put', `/message/private/readed?friendId=${a.user.id}`));
      const readed = await b.appWs.next(isCmdType(CMD.PRIVATE, MT.READED));
      expectFrame(readed, CMD.PRIVATE);
      expect(peerOf(data(readed), b.user.id)).toBe(a.user.id);
      for (const ws of [a.webWs, a.appWs]) {
        const receipt = data(await ws.next(isCmdType(CMD.PRIVATE, MT.RECEIPT)));
        // Home.vue: chatStore.readedMessage({ friendId: msg.sendId })
        expect(receipt.sendId).toBe(b.user.id);
        expect(receipt.recvId).toBe(a.user.id);
      }
    });
  });

  describe('cmd 3 friend notices', () => {
    it('friend add: FRIEND_NEW (80) with the other side’s FriendVO JSON to both users, plus the tip (21)', async () => {
      const a = await twoTerminals('fa');
      const b = await twoTerminals('fb');
      expectVoidOk(await web(t, a.user)('post', `/friend/add?friendId=${b.user.id}`));
      for (const [ws, other] of [
        [a.appWs, b.user],
        [b.webWs, a.user],
        [b.appWs, a.user],
      ] as const) {
        const f = data(await ws.next(isCmdType(CMD.PRIVATE, MT.FRIEND_NEW)));
        expect(typeof f.content).toBe('string');
        const vo = JSON.parse(f.content);
        // box-im serialises this content with fastjson, which drops nulls: isDnd may be absent.
        expectFields(vo, { ...FRIEND_VO, isDnd: 'boolean|null|absent' }, 'FRIEND_NEW content');
        expect(vo.id).toBe(other.id);
        expect(vo.deleted).toBe(false);
      }
      const tip = data(await b.webWs.next(isCmdType(CMD.PRIVATE, MT.TIP_TEXT)));
      expectFields(tip, PRIVATE_MSG, 'friend tip');
      expect(peerOf(tip, b.user.id)).toBe(a.user.id);
      const tipA = data(await a.appWs.next(isCmdType(CMD.PRIVATE, MT.TIP_TEXT)));
      expect(peerOf(tipA, a.user.id)).toBe(b.user.id);
    });

    it('friend delete: FRIEND_DEL (81) resolves to the right friend on both sides', async () => {
      const a = await twoTerminals('xa');
      const b = await twoTerminals('xb');
      await t.befriend(a.user, b.user);
      expectVoidOk(await web(t, a.user)('delete', `/friend/delete/${b.user.id}`));
      const toB = data(await b.webWs.next(isCmdType(CMD.PRIVATE, MT.FRIEND_DEL)));
      expect(peerOf(toB, b.user.id)).toBe(a.user.id);
      const toAOther = data(await a.appWs.next(isCmdType(CMD.PRIVATE, MT.FRIEND_DEL)));
      expect(peerOf(toAOther, a.user.id)).toBe(b.user.id);
    });

    it('friend dnd: FRIEND_DND (82) with content "true"/"false" to my other terminal', async () => {
      const a = await twoTerminals('na');
      const b = await t.newUser('nb');
      await t.befriend(a.user, b);
      expectVoidOk(await web(t, a.user)('put', '/friend/dnd', { data: { friendId: b.id, isDnd: true } }));
      const on = data(await a.appWs.next(isCmdType(CMD.PRIVATE, MT.FRIEND_DND)));
      expect(JSON.parse(on.content)).toBe(true);
      expect(peerOf(on, a.user.id)).toBe(b.id);
      expectVoidOk(await web(t, a.user)('put', '/friend/dnd', { data: { friendId: b.id, isDnd: false } }));
      const off = data(await a.appWs.next(isCmdType(CMD.PRIVATE, MT.FRIEND_DND)));
      expect(JSON.parse(off.content)).toBe(false);
    });
  });

  describe('cmd 4 group messages and notices', () => {
    async function team() {
      const owner = await twoTerminals('go');
      const m1 = await twoTerminals('gm');
      const m2 = await t.newUser('gn');
      const m2ws = await sock(m2);
      await t.befriend(owner.user, m1.user);
      await t.befriend(owner.user, m2);
      const http = web(t, owner.user);
      const g = expectOk(await http('post', '/group/create?groupName=push', { data: { name: 'push' } }));
      expectVoidOk(
        await http('post', '/group/invite', { data: { groupId: g.id, friendIds: [m1.user.id, m2.id] } }),
      );
      return { owner, m1, m2, m2ws, g, http };
    }

    it('group create: GROUP_NEW (90) with the GroupVO JSON to the creator’s other terminal', async () => {
      const owner = await twoTerminals('gc');
      const g = expectOk(
        await web(t, owner.user)('post', '/group/create?groupName=new', { data: { name: 'new' } }),
      );
      const f = data(await owner.appWs.next(isCmdType(CMD.GROUP, MT.GROUP_NEW)));
      expect(f.groupId).toBe(g.id);
      const vo = JSON.parse(f.content);
      expectFields(vo, GROUP_VO, 'GROUP_NEW content');
      expect(vo.id).toBe(g.id);
    });

    it('invite: GROUP_NEW (90) with the invitee’s GroupVO to every invitee terminal', async () => {
      const { m1, g } = await team();
      for (const ws of [m1.webWs, m1.appWs]) {
        const f = data(await ws.next(isCmdType(CMD.GROUP, MT.GROUP_NEW)));
        const vo = JSON.parse(f.content);
        expectFields(vo, GROUP_VO, 'GROUP_NEW content');
        expect(vo).toMatchObject({ id: g.id, quit: false });
        expect(f.groupId).toBe(g.id);
      }
    });

    it('a group message reaches members with every field insertMessage reads; the sender’s other terminal gets tmpId', async () => {
      const { owner, m1, m2, m2ws, g, http } = await team();
      const tmpId = `${Date.now()}555`;
      const sent = expectOk(
        await http('post', '/message/group/send', {
          data: {
            tmpId,
            groupId: g.id,
            content: '@all 开会',
            type: MT.TEXT,
            receipt: true,
            atUserIds: ['-1', String(m2.id)],
          },
        }),
      );
      for (const [ws, who] of [
        [m1.webWs, 'member web'],
        [m1.appWs, 'member app'],
        [m2ws, 'member 2'],
        [owner.appWs, 'sender app'],
      ] as const) {
        const f = await ws.next(isCmdType(CMD.GROUP, MT.TEXT));
        expectFrame(f, CMD.GROUP);
        expectFields(f.data, { ...GROUP_MSG, atUserIds: 'array' }, who);
        expect(data(f)).toMatchObject({
          id: sent.id,
          groupId: g.id,
          sendId: owner.user.id,
          receipt: true,
          receiptOk: false,
          readedCount: 0,
        });
        expect([...data(f).atUserIds].sort()).toEqual([-1, m2.id].sort());
        expectEpochMs(data(f).sendTime);
        // The sender's other terminal merges the echo with its temp message by tmpId.
        if (ws === owner.appWs) expect(data(f).tmpId).toBe(tmpId);
      }
    });

    it('group readed: READED (11) to my other terminal, RECEIPT (12) {id, groupId, readedCount, receiptOk} to the sender', async () => {
      const { owner, m1, m2, g, http } = await team();
      const sent = expectOk(
        await http('post', '/message/group/send', {
          data: { groupId: g.id, content: 'ack?', type: MT.TEXT, receipt: true, atUserIds: [] },
        }),
      );
      await m1.webWs.next(isCmdType(CMD.GROUP, MT.TEXT));
      expectVoidOk(
        await web(t, m1.user)('put', `/message/group/readed?groupId=${g.id}&messageId=${sent.id}`),
      );
      const readed = data(await m1.appWs.next(isCmdType(CMD.GROUP, MT.READED)));
      expect(readed.groupId).toBe(g.id);
      const r1 = data(await owner.webWs.next(isCmdType(CMD.GROUP, MT.RECEIPT)));
      expectFields(
        r1,
        { id: 'number', groupId: 'number', readedCount: 'number', receiptOk: 'boolean' },
        'RECEIPT',
      );
      expect(r1).toMatchObject({ id: sent.id, groupId: g.id, readedCount: 1, receiptOk: false });
      expectVoidOk(await web(t, m2)('put', `/message/group/readed?groupId=${g.id}&messageId=${sent.id}`));
      const r2 = data(await owner.webWs.next(isCmdType(CMD.GROUP, MT.RECEIPT)));
      expect(r2).toMatchObject({ id: sent.id, readedCount: 2, receiptOk: true });
    });

    it('group recall: RECALL (10, content = id) reaches members and the sender’s other terminal', async () => {
      const { owner, m1, g, http } = await team();
      const sent = expectOk(
        await http('post', '/message/group/send', {
          data: { groupId: g.id, content: 'oops', type: MT.TEXT, atUserIds: [] },
        }),
      );
      expectOk(await http('delete', `/message/group/recall/${sent.id}`));
      for (const ws of [m1.webWs, m1.appWs, owner.appWs]) {
        const f = data(await ws.next(isCmdType(CMD.GROUP, MT.RECALL)));
        expectFields(
          f,
          {
            id: 'number',
            groupId: 'number',
            sendId: 'number',
            sendNickName: 'string',
            content: 'string',
            type: 'number',
            status: 'number',
            sendTime: 'number',
          },
          'group recall',
        );
        expect(String(f.content)).toBe(String(sent.id));
        expect(f.groupId).toBe(g.id);
      }
    });

    it('group dnd: GROUP_DND (92) with content "true" to my other terminal', async () => {
      const { m1, g } = await team();
      expectVoidOk(await web(t, m1.user)('put', '/group/dnd', { data: { groupId: g.id, isDnd: true } }));
      const f = data(await m1.appWs.next(isCmdType(CMD.GROUP, MT.GROUP_DND)));
      expect(f.groupId).toBe(g.id);
      expect(JSON.parse(f.content)).toBe(true);
    });

    it('quit: GROUP_DEL (91) with groupId to every terminal of the member who left', async () => {
      const { m1, g } = await team();
      expectVoidOk(await web(t, m1.user)('delete', `/group/quit/${g.id}`));
      for (const ws of [m1.webWs, m1.appWs])
        expect(data(await ws.next(isCmdType(CMD.GROUP, MT.GROUP_DEL))).groupId).toBe(g.id);
    });

    it('members/remove: GROUP_DEL (91) to the removed member', async () => {
      const { m1, g, http } = await team();
      expectVoidOk(
        await http('delete', '/group/members/remove', { data: { groupId: g.id, userIds: [m1.user.id] } }),
      );
      for (const ws of [m1.webWs, m1.appWs])
        expect(data(await ws.next(isCmdType(CMD.GROUP, MT.GROUP_DEL))).groupId).toBe(g.id);
    });

    it('dissolve: GROUP_DEL (91) to every member', async () => {
      const { m1, m2ws, g, http } = await team();
      expectVoidOk(await http('delete', `/group/delete/${g.id}`));
      for (const ws of [m1.webWs, m1.appWs, m2ws])
        expect(data(await ws.next(isCmdType(CMD.GROUP, MT.GROUP_DEL))).groupId).toBe(g.id);
    });

    it('invite: the other members get the tip (21) as a group message with sendNickName', async () => {
      const { owner, m1, g, http } = await team();
      const c = await t.newUser('gz');
      await t.befriend(owner.user, c);
      expectVoidOk(await http('post', '/group/invite', { data: { groupId: g.id, friendIds: [c.id] } }));
      const tip = data(
        await m1.webWs.next(
          (f) => isCmdType(CMD.GROUP, MT.TIP_TEXT)(f) && String(data(f).content).includes(c.nickName),
        ),
      );
      expectFields(
        tip,
        {
          id: 'number',
          groupId: 'number',
          sendId: 'number',
          sendNickName: 'string',
          content: 'string',
          type: 'number',
          status: 'number',
          sendTime: 'number',
        },
        'invite tip',
      );
      expect(tip.groupId).toBe(g.id);
    });
  });

  describe('cmd 0 / cmd 2: login, kick-out, reconnect', () => {
    it('the same user on terminals 0 and 1 stays logged in on both (no cmd 2)', async () => {
      const a = await twoTerminals('mt');
      expect(await a.webWs.settle((f) => f.cmd === CMD.FORCE_LOGOUT, 300)).toEqual([]);
      expect(a.appWs.frames.filter((f) => f.cmd === CMD.FORCE_LOGOUT)).toEqual([]);
    });

    it('a second web login with another devId kicks the first with {cmd:2, data:"您已在其他地方登录，将被强制下线"}', async () => {
      const u = await t.newUser('kick');
      const first = await sock(u, 111);
      const other = await u.onTerminal(0);
      const second = await sock(other, 222);
      const f = await first.next((x) => x.cmd === CMD.FORCE_LOGOUT);
      expectFrame(f, CMD.FORCE_LOGOUT);
      expect(f.data).toBe(FORCE_LOGOUT_TEXT);
      // If the server closes the kicked socket itself, the browser reports the server's code to
      // Home.vue's onclose: anything but 3000 starts reconnectWs() and the two tabs kick each
      // other every 15 s while the alert is open.
      const closed = await Promise.race([
        first.closed,
        new Promise<null>((r) => setTimeout(() => r(null), 1500)),
      ]);
      if (closed) expect(closed.code).toBe(3000);
      expect(second.frames.filter((x) => x.cmd === CMD.FORCE_LOGOUT)).toEqual([]);
    });

    it('a reconnect with the page-lifetime devId is not kicked and receives pushes (wssocket.js reconnect)', async () => {
      const u = await t.newUser('re');
      const peer = await t.newUser('rp');
      await t.befriend(peer, u);
      const devId = 424242;
      const first = await sock(u, devId);
      first.ws.terminate(); // network drop; the server may not have noticed yet
      const second = await sock(u, devId);
      expect(await quietFor(second, CMD.FORCE_LOGOUT, 0, 300)).toEqual([]);
      expect(second.frames.filter((x) => x.cmd === CMD.FORCE_LOGOUT)).toEqual([]);
      await web(t, peer)('post', '/message/private/send', {
        data: { recvId: u.id, content: 'after reconnect', type: MT.TEXT },
      });
      expect(data(await second.next(isCmdType(CMD.PRIVATE, MT.TEXT))).content).toBe('after reconnect');
    });

    it('a WS login with an invalid token gets no ack and a close the client reconnects from (code ≠ 3000)', async () => {
      const out = await wsLoginOutcome(t, 'not-a-jwt', 5);
      expect(out.cmds).not.toContain(CMD.LOGIN);
      expect(out.closeCode, 'the server should close the socket').not.toBeNull();
      expect(out.closeCode).not.toBe(3000);
    });

    it('every frame is a TEXT frame (the browser JSON.parses e.data; a binary frame would be a Blob)', async () => {
      const a = await t.newUser('tx');
      const b = await t.newUser('ty');
      await t.befriend(a, b);
      const ws = await sock(b);
      const binary: boolean[] = [];
      ws.ws.on('message', (_m: Buffer, isBinary: boolean) => binary.push(isBinary));
      ws.send({ cmd: 1, data: {} });
      await ws.next((f) => f.cmd === CMD.HEARTBEAT);
      await web(t, a)('post', '/message/private/send', {
        data: { recvId: b.id, content: 'text frame?', type: MT.TEXT },
      });
      await ws.next(isCmdType(CMD.PRIVATE, MT.TEXT));
      expect(binary.length).toBeGreaterThanOrEqual(2);
      expect(binary.every((x) => !x)).toBe(true);
    });

    it('a WS upgrade from another origin (dev page on :8080, WS on its own port) is accepted', async () => {
      const u = await t.newUser('or');
      const WebSocket = (await import('ws')).default;
      const ws = new WebSocket(`${t.url.replace(/^http/, 'ws')}/im`, { origin: 'http://localhost:8080' });
      const opened = await new Promise<boolean>((r) => {
        ws.once('open', () => r(true));
        ws.once('error', () => r(false));
        ws.once('unexpected-response', () => r(false));
      });
      expect(opened).toBe(true);
      const ack = new Promise<string>((r) => ws.once('message', (m: Buffer) => r(m.toString())));
      ws.send(JSON.stringify({ cmd: 0, data: { accessToken: u.api.accessToken, devId: 1 } }));
      expect((JSON.parse(await ack) as { cmd: number }).cmd).toBe(0);
      ws.close(3000);
    });
  });

  describe('cmd 3 private call signalling across terminals (RtcPrivateVideo.vue)', () => {
    const OFFER = JSON.stringify({ type: 'offer', sdp: 'v=0' });
    const ANSWER = JSON.stringify({ type: 'answer', sdp: 'v=0' });
    const json = { 'Content-Type': 'application/json; charset=utf-8' };

    it('the callee rings on every terminal; accepting on one tells the others with selfSend (已在其他设备接听)', async () => {
      const caller = await t.newUser('ca');
      const callerWs = await sock(caller);
      const callee = await twoTerminals('ce');
      await t.befriend(caller, callee.user);
      expectVoidOk(
        await web(t, caller)('post', `/webrtc/private/call?uid=${callee.user.id}&mode=voice`, {
          data: OFFER,
          headers: json,
        }),
      );
      for (const ws of [callee.webWs, callee.appWs])
        expect(data(await ws.next(isCmdType(CMD.PRIVATE, MT.RTC_CALL_VOICE))).sendId).toBe(caller.id);
      expectVoidOk(
        await web(t, callee.user)('post', `/webrtc/private/accept?uid=${caller.id}`, {
          data: ANSWER,
          headers: json,
        }),
      );
      expect(data(await callerWs.next(isCmdType(CMD.PRIVATE, MT.RTC_ACCEPT))).sendId).toBe(callee.user.id);
      const other = data(await callee.appWs.next(isCmdType(CMD.PRIVATE, MT.RTC_ACCEPT)));
      // Home.vue sets selfSend = (sendId == me); RtcPrivateVideo closes with "已在其他设备接听".
      expect(other.sendId).toBe(callee.user.id);
      expectVoidOk(await web(t, caller)('post', `/webrtc/private/handup?uid=${callee.user.id}`));
    });

    it('rejecting on one terminal tells the caller and the callee’s other terminals (已在其他设备拒绝)', async () => {
      const caller = await t.newUser('cr');
      const callerWs = await sock(caller);
      const callee = await twoTerminals('cj');
      await t.befriend(caller, callee.user);
      expectVoidOk(
        await web(t, caller)('post', `/webrtc/private/call?uid=${callee.user.id}&mode=video`, {
          data: OFFER,
          headers: json,
        }),
      );
      await callee.appWs.next(isCmdType(CMD.PRIVATE, MT.RTC_CALL_VIDEO));
      expectVoidOk(await web(t, callee.user)('post', `/webrtc/private/reject?uid=${caller.id}`));
      expect(data(await callerWs.next(isCmdType(CMD.PRIVATE, MT.RTC_REJECT))).sendId).toBe(callee.user.id);
      expect(data(await callee.appWs.next(isCmdType(CMD.PRIVATE, MT.RTC_REJECT))).sendId).toBe(
        callee.user.id,
      );
    });
  });
});
