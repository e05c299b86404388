import { Cmd, MessageType, type WebrtcGroupInfoVO } from '@box-im/im-common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDIS_URL, startTestServer, type TestServer, type TestSocket, type TestUser } from '../../testing';

const OFFER = JSON.stringify({ type: 'offer', sdp: 'v=0 offer' });
const ANSWER = JSON.stringify({ type: 'answer', sdp: 'v=0 answer' });
const T = MessageType;

interface Frame {
  cmd: number;
  data: unknown;
}
interface Msg {
  type: number;
  sendId: number;
  groupId: number;
  content: string;
}
const msg = (f: Frame) => f.data as Msg;

const buses = [{ redis: false }, ...(REDIS_URL ? [{ redis: true }] : [])];

describe.each(buses)('group call signalling (real WebSockets, redis: $redis)', ({ redis }) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({
      redis,
      env: { WEBRTC_MAX_CHANNEL: '4', ...(redis ? { REDIS_KEY_PREFIX: `gcall${Date.now()}:` } : {}) },
    });
  });
  afterAll(() => t.close());

  /** A group of `n` members, each connected; the first is the owner. */
  async function group(n: number): Promise<{ groupId: number; users: TestUser[]; ws: TestSocket[] }> {
    const users: TestUser[] = [];
    for (let i = 0; i < n; i++) users.push(await t.newUser(`g${i}`));
    const [owner, ...rest] = users;
    for (const u of rest) await t.befriend(owner!, u);
    const groupId = (await owner!.api.post<{ id: number }>('/group/create', { name: 'call' })).data!.id;
    await owner!.api.post('/group/invite', { groupId, friendIds: rest.map((u) => u.id) });
    const ws = await Promise.all(users.map((u) => u.socket()));
    return { groupId, users, ws };
  }

  const post = (u: TestUser, action: string, body?: unknown) => u.api.post(`/webrtc/group/${action}`, body);
  const info = async (u: TestUser, groupId: number) =>
    (await u.api.get<WebrtcGroupInfoVO>(`/webrtc/group/info?groupId=${groupId}`)).data!;
  const infos = (...us: TestUser[]) => us.map((u) => ({ id: u.id, nickName: 'x', headImage: '' }));
  const frame = (ws: TestSocket, type: number) => ws.nextMessage(Cmd.GROUP_MESSAGE, type);
  const none = async (ws: TestSocket, type: number) =>
    expect(await ws.settle((f) => f.cmd === Cmd.GROUP_MESSAGE && msg(f).type === type, 200)).toEqual([]);
  const tip = (ws: TestSocket, re: RegExp) =>
    ws.next((f) => f.cmd === Cmd.GROUP_MESSAGE && msg(f).type === T.TIP_TEXT && re.test(msg(f).content));

  it('runs a call: setup, accept, mesh signalling, device, join, quit, and the end tip', async () => {
    const { groupId, users, ws } = await group(4);
    const [a, b, c, d] = users as [TestUser, TestUser, TestUser, TestUser];
    const [wa, wb, wc, wd] = ws as [TestSocket, TestSocket, TestSocket, TestSocket];

    expect((await post(a, 'setup', { groupId, userInfos: infos(a, b, c) })).code).toBe(200);
    for (const w of [wb, wc]) {
      const setup = msg(await frame(w, T.RTC_GROUP_SETUP));
      expect(setup).toMatchObject({ groupId, sendId: a.id });
      expect((JSON.parse(setup.content) as { id: number }[]).map((u) => u.id)).toEqual([a.id, b.id, c.id]);
    }
    await none(wd, T.RTC_GROUP_SETUP);
    for (const w of ws) await tip(w, /发起了群通话/);
    expect(await info(d, groupId)).toMatchObject({
      isChating: true,
      host: { id: a.id },
      userInfos: [{ id: a.id }],
      invitedUserInfos: [{ id: b.id }, { id: c.id }],
    });

    expect((await post(b, `accept?groupId=${groupId}`)).code).toBe(200);
    for (const w of [wa, wc]) expect(msg(await frame(w, T.RTC_GROUP_ACCEPT)).sendId).toBe(b.id);
    await none(wd, T.RTC_GROUP_ACCEPT);
    expect((await post(c, `accept?groupId=${groupId}`)).code).toBe(200);

    // The newcomer offers to each participant; only the addressee gets it.
    expect((await post(c, 'offer', { groupId, userId: a.id, offer: OFFER })).code).toBe(200);
    const offer = msg(await frame(wa, T.RTC_GROUP_OFFER));
    expect(offer).toMatchObject({ sendId: c.id, content: OFFER });
    await none(wb, T.RTC_GROUP_OFFER);
    expect((await post(a, 'answer', { groupId, userId: c.id, answer: ANSWER })).code).toBe(200);
    expect(msg(await frame(wc, T.RTC_GROUP_ANSWER)).content).toBe(ANSWER);
    expect((await post(a, 'candidate', { groupId, userId: c.id, candidate: '{"c":1}' })).code).toBe(200);
    expect(msg(await frame(wc, T.RTC_GROUP_CANDIDATE)).sendId).toBe(a.id);

    expect((await post(c, 'device', { groupId, isCamera: false, isMicroPhone: false })).code).toBe(200);
    for (const w of [wa, wb]) {
      expect(JSON.parse(msg(await frame(w, T.RTC_GROUP_DEVICE)).content)).toMatchObject({
        id: c.id,
        isCamera: false,
        isMicroPhone: false,
      });
    }
    expect((await post(a, `heartbeat?groupId=${groupId}`)).code).toBe(200);

    // A fourth member joins from the chat.
    expect((await post(d, `join?groupId=${groupId}`)).code).toBe(200);
    for (const w of [wa, wb, wc]) expect(msg(await frame(w, T.RTC_GROUP_JOIN)).sendId).toBe(d.id);
    expect((await info(a, groupId)).userInfos.map((u) => u.id)).toEqual([a.id, b.id, c.id, d.id]);

    expect((await post(b, `quit?groupId=${groupId}`)).code).toBe(200);
    for (const w of [wa, wc, wd]) expect(msg(await frame(w, T.RTC_GROUP_QUIT)).sendId).toBe(b.id);
    expect(await post(b, 'offer', { groupId, userId: a.id, offer: OFFER })).toMatchObject({
      code: 500,
      message: '您不在这个通话中',
    });
    for (let i = 0; i < 2; i++) {
      t.clock.advance(32_500);
      for (const u of [a, c, d]) expect((await post(u, `heartbeat?groupId=${groupId}`)).code).toBe(200);
    }
    for (const u of [a, c, d]) expect((await post(u, `quit?groupId=${groupId}`)).code).toBe(200);
    for (const w of ws) {
      const end = await tip(w, /群通话已结束,通话时长 01:0\d/);
      expect(msg(end).groupId).toBe(groupId);
    }
    expect((await info(a, groupId)).isChating).toBe(false);
    expect(await post(a, `heartbeat?groupId=${groupId}`)).toMatchObject({ message: '群通话已结束' });
    for (const w of ws) w.close();
  });

  it('lets only members set up, join, be invited or signal, and only for themselves', async () => {
    const { groupId, users, ws } = await group(3);
    const [a, b, c] = users as [TestUser, TestUser, TestUser];
    const outsider = await t.newUser('out');
    const wo = await outsider.socket();
    expect(await post(outsider, 'setup', { groupId, userInfos: infos(outsider, a) })).toMatchObject({
      code: 500,
      message: '您不是群聊的成员',
    });
    expect(await post(a, 'setup', { groupId, userInfos: infos(a, outsider) })).toMatchObject({
      message: `用户${outsider.id}不是群成员,无法加入通话`,
    });
    expect(await post(a, 'setup', { groupId, userInfos: infos(a) })).toMatchObject({
      message: '请至少选择一位其他成员',
    });
    expect((await post(a, 'setup', { groupId, userInfos: infos(b) })).code).toBe(200);
    expect(await post(a, 'setup', { groupId, userInfos: infos(c) })).toMatchObject({
      message: '该群已有通话正在进行,请直接加入',
    });
    expect(await post(outsider, `join?groupId=${groupId}`)).toMatchObject({ message: '您不是群聊的成员' });
    expect(await post(a, 'invite', { groupId, userInfos: infos(outsider) })).toMatchObject({
      message: `用户${outsider.id}不是群成员,无法加入通话`,
    });
    expect(await post(outsider, 'offer', { groupId, userId: a.id, offer: OFFER })).toMatchObject({
      message: '您不在这个通话中',
    });
    expect(await outsider.api.get(`/webrtc/group/info?groupId=${groupId}`)).toMatchObject({
      message: '您不是群聊的成员',
    });
    // Invited but not in the call yet: cannot signal; c was not invited at all.
    expect(await post(b, 'offer', { groupId, userId: a.id, offer: OFFER })).toMatchObject({
      message: '您不在这个通话中',
    });
    expect(await post(c, `accept?groupId=${groupId}`)).toMatchObject({ message: '您没有被邀请加入该通话' });
    // Signals go to participants only (c is not in the call).
    expect(await post(a, 'offer', { groupId, userId: c.id, offer: OFFER })).toMatchObject({
      message: `用户${c.id}不在通话中`,
    });
    expect((await post(b, `accept?groupId=${groupId}`)).code).toBe(200);
    expect(await post(b, `cancel?groupId=${groupId}`)).toMatchObject({ message: '只有发起人可以取消通话' });
    expect((await post(a, `cancel?groupId=${groupId}`)).code).toBe(200);
    await ws[1]!.nextMessage(Cmd.GROUP_MESSAGE, T.RTC_GROUP_QUIT);
    expect((await post(b, `quit?groupId=${groupId}`)).code).toBe(200);
    for (const w of [...ws, wo]) w.close();
  });

  it('refuses busy members and calls over WEBRTC_MAX_CHANNEL, and tells who could not be called', async () => {
    const { groupId, users, ws } = await group(6);
    const [a, b, c, d, e, f] = users as [TestUser, TestUser, TestUser, TestUser, TestUser, TestUser];
    expect(await post(a, 'setup', { groupId, userInfos: infos(a, b, c, d, e) })).toMatchObject({
      message: '通话人数不能超过4人',
    });
    // f is in a private call with b's friend... simplest: a private call between e and f.
    await t.befriend(e, f);
    expect((await e.api.post(`/webrtc/private/call?uid=${f.id}`, { sdp: 'x' })).code).toBe(200);
    expect(await post(e, 'setup', { groupId, userInfos: infos(a) })).toMatchObject({
      message: '您正在通话中',
    });
    expect((await post(a, 'setup', { groupId, userInfos: infos(b, f) })).code).toBe(200);
    const failed = msg(await ws[0]!.nextMessage(Cmd.GROUP_MESSAGE, T.RTC_GROUP_FAILED));
    expect(JSON.parse(failed.content)).toEqual({ userIds: [f.id], reason: '对方正忙' });
    // b is ringing for the group call: busy for a private call too.
    await t.befriend(c, b);
    expect(await c.api.post(`/webrtc/private/call?uid=${b.id}`, { sdp: 'x' })).toMatchObject({
      message: '对方正忙',
    });
    expect((await post(b, `accept?groupId=${groupId}`)).code).toBe(200);
    // ...and cannot call anyone privately while in the group call.
    expect(await b.api.post(`/webrtc/private/call?uid=${c.id}`, { sdp: 'x' })).toMatchObject({
      message: '您正在通话中',
    });
    expect((await post(c, `join?groupId=${groupId}`)).code).toBe(200);
    expect((await post(d, `join?groupId=${groupId}`)).code).toBe(200);
    expect(await post(e, `join?groupId=${groupId}`)).toMatchObject({ message: '您正在通话中' });
    await e.api.post(`/webrtc/private/cancel?uid=${f.id}`);
    expect(await post(e, `join?groupId=${groupId}`)).toMatchObject({ message: '通话人数不能超过4人' });
    expect(await post(a, 'invite', { groupId, userInfos: infos(e) })).toMatchObject({
      message: '通话人数不能超过4人',
    });
    for (const u of [a, b, c, d]) await post(u, `quit?groupId=${groupId}`);
    for (const w of ws) w.close();
  });

  it('drops participants whose clients stopped beating and ends the call when none is left', async () => {
    const { groupId, users, ws } = await group(3);
    const [a, b, c] = users as [TestUser, TestUser, TestUser];
    expect((await post(a, 'setup', { groupId, userInfos: infos(b, c) })).code).toBe(200);
    expect((await post(b, `accept?groupId=${groupId}`)).code).toBe(200);
    // c never answers, b keeps beating, a's client dies.
    t.clock.advance(40_000);
    expect((await post(b, `heartbeat?groupId=${groupId}`)).code).toBe(200);
    t.clock.advance(30_000);
    expect((await info(b, groupId)).userInfos.map((u) => u.id)).toEqual([b.id]);
    expect(msg(await ws[1]!.nextMessage(Cmd.GROUP_MESSAGE, T.RTC_GROUP_QUIT)).sendId).toBe(a.id);
    // then b dies too: the sweep ends the call with the end tip, nobody visiting.
    t.clock.advance(70_000);
    const sweep = t.running.ctx.jobs.find((j) => j.name === 'group-call-sweep');
    await sweep!.runNow!();
    await ws[2]!.next(
      (f) => f.cmd === Cmd.GROUP_MESSAGE && msg(f).type === T.TIP_TEXT && /群通话已结束/.test(msg(f).content),
    );
    expect((await info(c, groupId)).isChating).toBe(false);
    // everyone is free again
    expect((await post(c, 'setup', { groupId, userInfos: infos(a) })).code).toBe(200);
    await post(c, `cancel?groupId=${groupId}`);
    for (const w of ws) w.close();
  });

  it('tells a member removed from the group, and the others, that it left the call; dissolving ends it', async () => {
    const { groupId, users, ws } = await group(3);
    const [a, b, c] = users as [TestUser, TestUser, TestUser];
    expect((await post(a, 'setup', { groupId, userInfos: infos(b, c) })).code).toBe(200);
    expect((await post(b, `accept?groupId=${groupId}`)).code).toBe(200);
    expect((await post(c, `accept?groupId=${groupId}`)).code).toBe(200);
    expect((await a.api.delete('/group/members/remove', { groupId, userIds: [b.id] })).code).toBe(200);
    // b's own client learns it is out (a quit in its name), a and c see b quit.
    for (const w of [ws[0]!, ws[1]!, ws[2]!]) expect(msg(await frame(w, T.RTC_GROUP_QUIT)).sendId).toBe(b.id);
    expect((await info(a, groupId)).userInfos.map((u) => u.id)).toEqual([a.id, c.id]);
    expect((await a.api.delete(`/group/delete/${groupId}`)).code).toBe(200);
    for (const w of [ws[0]!, ws[2]!]) await frame(w, T.RTC_GROUP_CANCEL);
    for (const w of ws) w.close();
  });

  it('an admin ban of the group ends its running call, as dissolving does, and refuses a new one', async () => {
    const { groupId, users, ws } = await group(3);
    const [a, b, c] = users as [TestUser, TestUser, TestUser];
    const boss = await t.newUser('boss');
    await t.running.ctx.services.admin.setAdminByName(boss.userName, true, 'test');
    expect((await post(a, 'setup', { groupId, userInfos: infos(b, c) })).code).toBe(200);
    expect((await post(b, `accept?groupId=${groupId}`)).code).toBe(200);
    expect((await boss.api.post('/admin/group/ban', { groupId, reason: 'spam' })).code).toBe(200);
    // every participant (and the invitee who had not answered) is told the call is over
    for (const w of ws) expect(msg(await frame(w, T.RTC_GROUP_CANCEL)).groupId).toBe(groupId);
    for (const w of ws) await tip(w, /封禁/);
    expect((await info(a, groupId)).isChating).toBe(false);
    expect((await post(b, 'setup', { groupId, userInfos: infos(a) })).headers.get('x-error-key')).toBe(
      'GROUP_BANNED',
    );
    // the participants are free for other calls: a private call between a and b can start
    expect((await a.api.post(`/webrtc/private/call?uid=${b.id}&mode=voice`, OFFER)).code).toBe(200);
    await a.api.post(`/webrtc/private/cancel?uid=${b.id}`);
    for (const w of ws) w.close();
  });
});
