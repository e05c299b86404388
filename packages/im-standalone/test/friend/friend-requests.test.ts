/**
 * Issue 15 pushes over real WebSockets: a friend request reaches every terminal of the
 * addressee (and the sender's other ones), its acceptance brings box-im's FRIEND_NEW and tip;
 * a pending group invitation reaches the invitee; mute changes reach the member as GROUP_NEW.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../testing';

const PRIVATE = 3;
const GROUP = 4;
const T = { TIP_TEXT: 21, FRIEND_NEW: 80, FRIEND_REQUEST: 83, GROUP_NEW: 90, GROUP_INVITE: 93 };
type Msg = { type: number; sendId: number; recvId: number; groupId?: number; content?: string };
const data = (f: { data: unknown }) => f.data as Msg;

describe('friend requests and group moderation pushes', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ env: { FRIEND_REQUEST: 'on' } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('pushes a request to every terminal of the addressee, and the acceptance to the sender', async () => {
    const alice = await t.newUser('fra');
    const aliceApp = await alice.onTerminal(1);
    const bob = await t.newUser('frb');
    const bobApp = await bob.onTerminal(1);
    const [aWeb, aApp, bWeb, bApp] = await Promise.all([
      alice.socket(),
      aliceApp.socket(),
      bob.socket(),
      bobApp.socket(),
    ]);
    const sent = await alice.api.post('/friend/request', { friendId: bob.id, message: '你好' });
    expect(sent.code, sent.message).toBe(200);
    for (const s of [bWeb, bApp, aApp]) {
      const f = data(await s.nextMessage(PRIVATE, T.FRIEND_REQUEST));
      expect(f).toMatchObject({ sendId: alice.id, recvId: bob.id });
      expect(JSON.parse(f.content!)).toMatchObject({ id: sent.data.id, message: '你好', status: 0 });
    }
    expect(await aWeb.settle((f) => data(f)?.type === T.FRIEND_REQUEST, 200)).toHaveLength(0);

    expect((await bob.api.post(`/friend/request/accept/${sent.data.id}`)).code).toBe(200);
    const done = data(await aWeb.nextMessage(PRIVATE, T.FRIEND_REQUEST));
    expect(JSON.parse(done.content!)).toMatchObject({ id: sent.data.id, status: 1 });
    expect(JSON.parse(data(await aWeb.nextMessage(PRIVATE, T.FRIEND_NEW)).content!)).toMatchObject({
      id: bob.id,
    });
    const tip = data(await aWeb.nextMessage(PRIVATE, T.TIP_TEXT));
    expect(tip.content).toBe('你们已成为好友，现在可以开始聊天了');
  });

  it('pushes a pending group invitation to the invitee and a mute to the muted member', async () => {
    const owner = await t.newUser('gmo');
    const member = await t.newUser('gmm');
    await t.befriend(owner, member);
    const socket = await member.socket();
    const groupId = (await owner.api.post('/group/create', { name: 'push' })).data.id;
    await owner.api.post('/group/invite', { groupId, friendIds: [member.id] });
    const invite = data(await socket.nextMessage(GROUP, T.GROUP_INVITE));
    const vo = JSON.parse(invite.content!);
    expect(vo).toMatchObject({ groupId, inviterId: owner.id, status: 0 });
    expect((await member.api.post(`/group/invite/accept/${vo.id}`)).code).toBe(200);

    await owner.api.put('/group/mute', { groupId, userId: member.id, minutes: 5 });
    // the member's whole group as they see it (joining may have pushed one before)
    let change = JSON.parse(data(await socket.nextMessage(GROUP, T.GROUP_NEW)).content!);
    if (!change.muteUntil) change = JSON.parse(data(await socket.nextMessage(GROUP, T.GROUP_NEW)).content!);
    expect(change).toMatchObject({ id: groupId, name: 'push', isAdmin: false, allMuted: false });
    expect(change.muteUntil).toBeGreaterThan(Date.now());
    const refused = await member.api.post('/message/group/send', { groupId, content: 'x', type: 0 });
    expect(refused.message).toMatch(/^您已被禁言，解除时间：/);
  });
});
