/**
 * Friend requests (issue 15, FRIEND_REQUEST=on): request with a message, accept / decline,
 * pending lists, "who may add me", group invitations that wait for consent; and with the
 * setting off, box-im's instant add unchanged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestApp, type TestApp, type TestUser } from '@box-im/im-platform/testing';

const key = (res: { headers: Headers }) => res.headers.get('x-error-key');

describe.each(ENGINES)('friend requests on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ engine, env: { FRIEND_REQUEST: 'on' } });
  });
  afterAll(() => t.close());

  const isFriend = async (a: TestUser, b: TestUser) =>
    (await a.api.get<{ id: number; deleted: boolean }[]>('/friend/list')).data!.some(
      (f) => f.id === b.id && !f.deleted,
    );

  it('sends a request with a message, lists it both ways, and befriends on accept with a tip', async () => {
    const a = await t.newUser('rqa');
    const b = await t.newUser('rqb');
    const add = await a.api.post(`/friend/add?friendId=${b.id}`);
    expect(key(add)).toBe('REQUEST_NEEDED');
    expect(add.message).toBe('对方开启了好友验证，请发送好友申请');

    const sent = await a.api.post('/friend/request', { friendId: b.id, message: '我是 A，加个好友' });
    expect(sent.code, sent.message).toBe(200);
    expect(sent.data).toMatchObject({ sendId: a.id, recvId: b.id, message: '我是 A，加个好友', status: 0 });
    // a repeat updates the pending request instead of adding one
    const again = await a.api.post('/friend/request', { friendId: b.id, message: 'again' });
    expect(again.data.id).toBe(sent.data.id);

    const mine = (await a.api.get('/friend/request/list')).data;
    expect(mine.outgoing.map((r: { id: number }) => r.id)).toEqual([sent.data.id]);
    expect(mine.incoming).toEqual([]);
    const theirs = (await b.api.get('/friend/request/list')).data;
    expect(theirs.incoming).toHaveLength(1);
    expect(theirs.incoming[0]).toMatchObject({ sendNickName: a.nickName, message: 'again' });
    expect(await isFriend(a, b)).toBe(false);

    // only the addressee settles it
    expect(key(await a.api.post(`/friend/request/accept/${sent.data.id}`))).toBe('REQUEST_NOT_FOUND');
    const stranger = await t.newUser('rqs');
    expect(key(await stranger.api.post(`/friend/request/accept/${sent.data.id}`))).toBe('REQUEST_NOT_FOUND');
    expect(key(await stranger.api.post(`/friend/request/decline/${sent.data.id}`))).toBe('REQUEST_NOT_FOUND');

    const accepted = await b.api.post(`/friend/request/accept/${sent.data.id}`);
    expect(accepted.code, accepted.message).toBe(200);
    expect(accepted.data.status).toBe(1);
    expect(await isFriend(a, b)).toBe(true);
    expect(await isFriend(b, a)).toBe(true);
    const history = await a.api.get(`/message/private/history?friendId=${b.id}&page=1&size=10`);
    expect(history.data.map((m: { content: string }) => m.content)).toContain(
      '你们已成为好友，现在可以开始聊天了',
    );
    expect((await b.api.get('/friend/request/list')).data.incoming).toEqual([]);
    expect(key(await b.api.post(`/friend/request/accept/${sent.data.id}`))).toBe('REQUEST_NOT_FOUND');
    expect(key(await a.api.post('/friend/request', { friendId: b.id }))).toBe('ALREADY_FRIEND');
  });

  it('declines; a request to one who asked me first befriends at once', async () => {
    const a = await t.newUser('dca');
    const b = await t.newUser('dcb');
    const sent = (await a.api.post('/friend/request', { friendId: b.id })).data;
    const declined = await b.api.post(`/friend/request/decline/${sent.id}`);
    expect(declined.data.status).toBe(2);
    expect(await isFriend(a, b)).toBe(false);
    expect((await a.api.get('/friend/request/list')).data.outgoing).toEqual([]);

    const fromB = (await b.api.post('/friend/request', { friendId: a.id, message: 'sorry' })).data;
    const mutual = await a.api.post('/friend/request', { friendId: b.id });
    expect(mutual.data).toMatchObject({ id: fromB.id, status: 1 });
    expect(await isFriend(a, b)).toBe(true);
  });

  it('lets users choose who may add them', async () => {
    const a = await t.newUser('pla');
    const open = await t.newUser('plo');
    const closed = await t.newUser('plc');
    const self = (await open.api.get('/user/self')).data;
    expect(self.addPolicy).toBe(1);
    await open.api.put('/user/update', { ...self, addPolicy: 0 });
    expect((await open.api.get('/user/self')).data.addPolicy).toBe(0);
    const closedSelf = (await closed.api.get('/user/self')).data;
    await closed.api.put('/user/update', { ...closedSelf, addPolicy: 2 });
    const bad = await closed.api.put('/user/update', { ...closedSelf, addPolicy: 7 });
    expect(bad.code).toBe(500);
    expect(bad.message).toContain('addPolicy');

    expect((await a.api.post(`/friend/add?friendId=${open.id}`)).code).toBe(200);
    expect(await isFriend(a, open)).toBe(true);
    const refused = await a.api.post('/friend/request', { friendId: closed.id });
    expect(key(refused)).toBe('ADD_REFUSED');
    expect(key(await a.api.post(`/friend/add?friendId=${closed.id}`))).toBe('ADD_REFUSED');
    const en = await a.api.as(a.tokens.accessToken, 'en').post(`/friend/add?friendId=${closed.id}`);
    expect(en.message).toBe('This user does not let anyone add them as a friend');

    const other = await t.newUser('plx');
    await other.api.put('/user/update', { ...(await other.api.get('/user/self')).data, addPolicy: 0 });
    const instant = await a.api.post('/friend/request', { friendId: other.id, message: 'hi' });
    expect(instant.data.status).toBe(1);
    expect(await isFriend(other, a)).toBe(true);
  });

  it('turns group invitations of users who add by request into invitations they accept', async () => {
    const owner = await t.newUser('gio');
    const asks = await t.newUser('gia');
    const open = await t.newUser('gip');
    const declines = await t.newUser('gid');
    await open.api.put('/user/update', { ...(await open.api.get('/user/self')).data, addPolicy: 0 });
    for (const u of [asks, open, declines]) await t.befriend(owner, u);
    const groupId = (await owner.api.post('/group/create', { name: '邀请' })).data.id;
    const invited = await owner.api.post('/group/invite', {
      groupId,
      friendIds: [asks.id, open.id, declines.id],
    });
    expect(invited.code, invited.message).toBe(200);
    const memberIds = async () =>
      (await owner.api.get(`/group/members/${groupId}`)).data
        .filter((m: { quit: boolean }) => !m.quit)
        .map((m: { userId: number }) => m.userId)
        .sort();
    expect(await memberIds()).toEqual([owner.id, open.id].sort());
    // inviting again does not add a second invitation
    await owner.api.post('/group/invite', { groupId, friendIds: [asks.id] });
    const list = (await asks.api.get('/group/invite/list')).data;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ groupId, groupName: '邀请', inviterId: owner.id, status: 0 });
    expect(key(await owner.api.post(`/group/invite/accept/${list[0].id}`))).toBe('INVITE_NOT_FOUND');
    expect(key(await asks.api.post('/message/group/send', { groupId, content: 'x', type: 0 }))).toBe(
      'SEND_NOT_MEMBER',
    );

    const joined = await asks.api.post(`/group/invite/accept/${list[0].id}`);
    expect(joined.code, joined.message).toBe(200);
    expect(joined.data).toMatchObject({ id: groupId, quit: false });
    expect(await memberIds()).toEqual([owner.id, open.id, asks.id].sort());
    const history = await owner.api.get(`/message/group/history?groupId=${groupId}&page=1&size=20`);
    expect(history.data.map((m: { content: string }) => m.content)).toContain(
      `'${asks.nickName}'接受'${owner.nickName}'的邀请加入了群聊`,
    );

    // an invitation from someone who left the group is void
    const helper = await t.newUser('gih');
    await t.befriend(owner, helper);
    await owner.api.post('/group/invite', { groupId, friendIds: [helper.id] });
    const late = await t.newUser('gil');
    await t.befriend(helper, late);
    await helper.api.post(`/group/invite/accept/${(await helper.api.get('/group/invite/list')).data[0].id}`);
    await helper.api.post('/group/invite', { groupId, friendIds: [late.id] });
    await helper.api.delete(`/group/quit/${groupId}`);
    const void_ = (await late.api.get('/group/invite/list')).data[0];
    expect(key(await late.api.post(`/group/invite/accept/${void_.id}`))).toBe('INVITE_NOT_FOUND');

    const other = (await declines.api.get('/group/invite/list')).data[0];
    expect((await declines.api.post(`/group/invite/decline/${other.id}`)).code).toBe(200);
    expect(await memberIds()).not.toContain(declines.id);
    expect(key(await declines.api.post(`/group/invite/accept/${other.id}`))).toBe('INVITE_NOT_FOUND');
  });
});

describe('friend requests off (box-im default)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('keeps the instant add whatever the policy, and refuses requests', async () => {
    const a = await t.newUser('ofa');
    const b = await t.newUser('ofb');
    await b.api.put('/user/update', { ...(await b.api.get('/user/self')).data, addPolicy: 2 });
    expect(key(await a.api.post('/friend/request', { friendId: b.id }))).toBe('REQUESTS_OFF');
    expect((await a.api.post(`/friend/add?friendId=${b.id}`)).code).toBe(200);
    expect((await a.api.get('/friend/request/list')).data).toEqual({ incoming: [], outgoing: [] });
  });
});
