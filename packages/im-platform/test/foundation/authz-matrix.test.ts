/**
 * Authorization matrix (issue 9): every route of the OpenAPI document, called by each kind of
 * caller, gets the answer listed here. A route missing from the matrix fails the test, so a
 * new route cannot ship without its permission cases written down.
 *
 * Callers: no token, an expired access token, a refresh token used as an access token, a
 * token forged for the owner with another key, and five logged-in users relative to the
 * owner's world: a stranger, a friend who is not in the group (nonMember), a former friend
 * and group member (former), a friend in the group (member), and the owner (of the group, of
 * the messages, of the profile the route targets).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  boximToken,
  startTestApp,
  type ApiClient,
  type ApiResult,
  type TestApp,
  type TestUser,
} from '@box-im/im-platform/testing';
import { TokenService } from '../../src/security/tokens';
import { makeMp4, makePng } from '../files/media-fixtures';

const RELATIONS = ['stranger', 'nonMember', 'former', 'member', 'owner'] as const;
type Relation = (typeof RELATIONS)[number];
const TOKENS = ['none', 'expired', 'refresh', 'forged'] as const;
type Caller = (typeof TOKENS)[number] | Relation;

interface World {
  owner: TestUser;
  member: TestUser;
  former: TestUser;
  nonMember: TestUser;
  stranger: TestUser;
  victim: TestUser;
  groupId: number;
  /** Private message owner → member. */
  privateId: number;
  /** Group message of the owner. */
  groupMessageId: number;
  /** Pending friend request stranger → owner. */
  requestId: number;
  /** Pending invitation of nonMember into the group. */
  inviteId: number;
}

interface Call {
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** `ok`, or the error key (x-error-key) expected. */
type Outcome = string;

interface Entry {
  /** Who may call without a token: `public` routes need none, `token` routes refuse. */
  auth: 'public' | 'token';
  call: (w: World, n: number) => Call | Promise<Call>;
  /** Outcome per logged-in caller; one string for all. */
  expect: Outcome | Record<Relation, Outcome>;
  /**
   * Changes the world (a dissolved group, a new member, changed passwords): the next route
   * gets a new one. Callers are ordered so that within a route no success changes the
   * outcome of a later caller.
   */
  dirty?: boolean;
}

const per = (
  stranger: Outcome,
  nonMember: Outcome,
  former: Outcome,
  member: Outcome,
  owner: Outcome,
): Record<Relation, Outcome> => ({ stranger, nonMember, former, member, owner });

const form = (bytes: Buffer, name: string, type: string) => {
  const data = new FormData();
  data.append('file', new Blob([new Uint8Array(bytes)], { type }), name);
  return data;
};

const MATRIX: Record<string, Entry> = {
  // accounts
  'POST /login': {
    auth: 'public',
    call: (w) => ({
      url: '/login',
      body: { terminal: 0, userName: w.owner.userName, password: w.owner.password },
    }),
    expect: 'ok',
  },
  'POST /register': {
    auth: 'public',
    call: (_w, n) => ({
      url: '/register',
      body: { userName: `mx${n}${Date.now() % 100000}`, password: 'secret123', confirmPassword: 'secret123' },
    }),
    expect: 'ok',
  },
  'PUT /refreshToken': {
    auth: 'public',
    call: (w) => ({ url: '/refreshToken', headers: { refreshToken: w.owner.tokens.refreshToken } }),
    expect: 'ok',
  },
  'PUT /modifyPwd': {
    auth: 'token',
    call: () => ({ url: '/modifyPwd', body: { oldPassword: 'secret123', newPassword: 'secret456' } }),
    expect: 'ok',
    dirty: true,
  },
  // users
  'GET /user/terminal/online': {
    auth: 'token',
    call: (w) => ({ url: `/user/terminal/online?userIds=${w.owner.id}` }),
    expect: 'ok',
  },
  'GET /user/self': { auth: 'token', call: () => ({ url: '/user/self' }), expect: 'ok' },
  'GET /user/find/{id}': { auth: 'token', call: (w) => ({ url: `/user/find/${w.owner.id}` }), expect: 'ok' },
  'PUT /user/update': {
    auth: 'token',
    call: (w) => ({ url: '/user/update', body: { id: w.owner.id, nickName: 'changed' } }),
    expect: per('MODIFY_OTHER_USER', 'MODIFY_OTHER_USER', 'MODIFY_OTHER_USER', 'MODIFY_OTHER_USER', 'ok'),
  },
  'GET /user/findByName': { auth: 'token', call: () => ({ url: '/user/findByName?name=mx' }), expect: 'ok' },
  'GET /system/config': { auth: 'token', call: () => ({ url: '/system/config' }), expect: 'ok' },
  // friends
  'GET /friend/list': { auth: 'token', call: () => ({ url: '/friend/list' }), expect: 'ok' },
  'POST /friend/add': {
    auth: 'token',
    call: (w) => ({ url: `/friend/add?friendId=${w.owner.id}` }),
    expect: per('ok', 'ALREADY_FRIEND', 'ok', 'ALREADY_FRIEND', 'ADD_SELF'),
    dirty: true,
  },
  // a former friend reads and mutes their own row of the friendship (shown as deleted)
  'GET /friend/find/{friendId}': {
    auth: 'token',
    call: (w) => ({ url: `/friend/find/${w.owner.id}` }),
    expect: per('NOT_FRIEND', 'ok', 'ok', 'ok', 'NOT_FRIEND'),
  },
  'DELETE /friend/delete/{friendId}': {
    auth: 'token',
    call: (w) => ({ url: `/friend/delete/${w.owner.id}` }),
    expect: per('NOT_FRIEND', 'ok', 'NOT_FRIEND', 'ok', 'NOT_FRIEND'),
    dirty: true,
  },
  'PUT /friend/dnd': {
    auth: 'token',
    call: (w) => ({ url: '/friend/dnd', body: { friendId: w.owner.id, isDnd: true } }),
    expect: per('NOT_FRIEND', 'ok', 'ok', 'ok', 'NOT_FRIEND'),
  },
  // friend requests (FRIEND_REQUEST is off here: requests are refused; settling an existing one works)
  'POST /friend/request': {
    auth: 'token',
    call: (w) => ({ url: '/friend/request', body: { friendId: w.owner.id, message: 'hi' } }),
    expect: 'REQUESTS_OFF',
  },
  'GET /friend/request/list': { auth: 'token', call: () => ({ url: '/friend/request/list' }), expect: 'ok' },
  'POST /friend/request/accept/{id}': {
    auth: 'token',
    call: (w) => ({ url: `/friend/request/accept/${w.requestId}` }),
    expect: per('REQUEST_NOT_FOUND', 'REQUEST_NOT_FOUND', 'REQUEST_NOT_FOUND', 'REQUEST_NOT_FOUND', 'ok'),
    dirty: true,
  },
  'POST /friend/request/decline/{id}': {
    auth: 'token',
    call: (w) => ({ url: `/friend/request/decline/${w.requestId}` }),
    expect: per('REQUEST_NOT_FOUND', 'REQUEST_NOT_FOUND', 'REQUEST_NOT_FOUND', 'REQUEST_NOT_FOUND', 'ok'),
    dirty: true,
  },
  // private messages
  'POST /message/private/send': {
    auth: 'token',
    call: (w) => ({ url: '/message/private/send', body: { recvId: w.owner.id, content: 'hi', type: 0 } }),
    expect: per('SEND_NOT_FRIEND', 'ok', 'SEND_NOT_FRIEND', 'ok', 'SEND_NOT_FRIEND'),
  },
  'GET /chat/prefs': {
    auth: 'token',
    call: () => ({ url: '/chat/prefs' }),
    expect: 'ok',
  },
  'PUT /chat/pref': {
    auth: 'token',
    call: (w) => ({
      url: '/chat/pref',
      body: { chatType: 'GROUP', chatId: w.groupId, pinned: true, draft: 'd' },
    }),
    expect: per('CHAT_PREF_NO_CHAT', 'CHAT_PREF_NO_CHAT', 'ok', 'ok', 'ok'),
  },
  'POST /message/private/typing': {
    auth: 'token',
    call: (w) => ({ url: `/message/private/typing?recvId=${w.owner.id}` }),
    expect: per('SEND_NOT_FRIEND', 'ok', 'SEND_NOT_FRIEND', 'ok', 'SEND_NOT_FRIEND'),
  },
  'DELETE /message/private/recall/{id}': {
    auth: 'token',
    call: (w) => ({ url: `/message/private/recall/${w.privateId}` }),
    expect: per('RECALL_NOT_SENDER', 'RECALL_NOT_SENDER', 'RECALL_NOT_SENDER', 'RECALL_NOT_SENDER', 'ok'),
    dirty: true,
  },
  'GET /message/private/loadOfflineMessage': {
    auth: 'token',
    call: () => ({ url: '/message/private/loadOfflineMessage?minId=0' }),
    expect: 'ok',
  },
  'PUT /message/private/readed': {
    auth: 'token',
    call: (w) => ({ url: `/message/private/readed?friendId=${w.owner.id}` }),
    expect: per('READ_NOT_FRIEND', 'ok', 'ok', 'ok', 'READ_NOT_FRIEND'),
  },
  'GET /message/private/maxReadedId': {
    auth: 'token',
    call: (w) => ({ url: `/message/private/maxReadedId?friendId=${w.owner.id}` }),
    expect: 'ok',
  },
  'GET /message/private/history': {
    auth: 'token',
    call: (w) => ({ url: `/message/private/history?friendId=${w.owner.id}&page=1&size=10` }),
    expect: per('HISTORY_NOT_FRIEND', 'ok', 'ok', 'ok', 'HISTORY_NOT_FRIEND'),
  },
  // issue 15: forward the owner's private message (to the member) to the owner
  'POST /message/forward': {
    auth: 'token',
    call: (w) => ({
      url: '/message/forward',
      body: {
        sourceType: 'PRIVATE',
        messageIds: [w.privateId],
        targets: [{ type: 'PRIVATE', targetId: w.owner.id }],
      },
    }),
    expect: per('FORWARD_NOT_FOUND', 'FORWARD_NOT_FOUND', 'FORWARD_NOT_FOUND', 'ok', 'SEND_NOT_FRIEND'),
  },
  // search answers from the caller's own conversations only (see search.test.ts)
  'GET /message/search': {
    auth: 'token',
    call: () => ({ url: `/message/search?keyword=${encodeURIComponent('消息')}` }),
    expect: 'ok',
  },
  // groups
  'POST /group/create': {
    auth: 'token',
    call: () => ({ url: '/group/create', body: { name: 'new' } }),
    expect: 'ok',
  },
  'PUT /group/modify': {
    auth: 'token',
    call: (w) => ({ url: '/group/modify', body: { id: w.groupId, name: 'renamed' } }),
    expect: per('NOT_MEMBER', 'NOT_MEMBER', 'NOT_MEMBER', 'OWNER_ONLY_EDIT', 'ok'),
  },
  'DELETE /group/delete/{groupId}': {
    auth: 'token',
    call: (w) => ({ url: `/group/delete/${w.groupId}` }),
    expect: per(
      'OWNER_ONLY_DISSOLVE',
      'OWNER_ONLY_DISSOLVE',
      'OWNER_ONLY_DISSOLVE',
      'OWNER_ONLY_DISSOLVE',
      'ok',
    ),
    dirty: true,
  },
  'GET /group/find/{groupId}': {
    auth: 'token',
    call: (w) => ({ url: `/group/find/${w.groupId}` }),
    expect: per('NOT_JOINED', 'NOT_JOINED', 'ok', 'ok', 'ok'),
  },
  'GET /group/list': { auth: 'token', call: () => ({ url: '/group/list' }), expect: 'ok' },
  'POST /group/invite': {
    auth: 'token',
    call: (w) => ({ url: '/group/invite', body: { groupId: w.groupId, friendIds: [w.nonMember.id] } }),
    expect: per('INVITER_NOT_MEMBER', 'INVITER_NOT_MEMBER', 'INVITER_NOT_MEMBER', 'INVITE_NOT_FRIENDS', 'ok'),
    dirty: true,
  },
  'GET /group/members/{groupId}': {
    auth: 'token',
    call: (w) => ({ url: `/group/members/${w.groupId}` }),
    expect: per('NOT_MEMBER', 'NOT_MEMBER', 'ok', 'ok', 'ok'),
  },
  'DELETE /group/members/remove': {
    auth: 'token',
    call: (w) => ({ url: '/group/members/remove', body: { groupId: w.groupId, userIds: [w.victim.id] } }),
    expect: per('OWNER_ONLY_REMOVE', 'OWNER_ONLY_REMOVE', 'OWNER_ONLY_REMOVE', 'OWNER_ONLY_REMOVE', 'ok'),
    dirty: true,
  },
  'DELETE /group/quit/{groupId}': {
    auth: 'token',
    call: (w) => ({ url: `/group/quit/${w.groupId}` }),
    expect: per('NOT_MEMBER', 'NOT_MEMBER', 'NOT_MEMBER', 'ok', 'OWNER_CANNOT_QUIT'),
    dirty: true,
  },
  'DELETE /group/kick/{groupId}': {
    auth: 'token',
    call: (w) => ({ url: `/group/kick/${w.groupId}?userId=${w.victim.id}` }),
    expect: per('OWNER_ONLY_KICK', 'OWNER_ONLY_KICK', 'OWNER_ONLY_KICK', 'OWNER_ONLY_KICK', 'ok'),
    dirty: true,
  },
  'PUT /group/dnd': {
    auth: 'token',
    call: (w) => ({ url: '/group/dnd', body: { groupId: w.groupId, isDnd: true } }),
    expect: per('NOT_MEMBER', 'NOT_MEMBER', 'ok', 'ok', 'ok'),
  },
  // group invitations waiting for consent, admins, mute, transfer (issue 15)
  'GET /group/invite/list': { auth: 'token', call: () => ({ url: '/group/invite/list' }), expect: 'ok' },
  'POST /group/invite/accept/{id}': {
    auth: 'token',
    call: (w) => ({ url: `/group/invite/accept/${w.inviteId}` }),
    expect: per('INVITE_NOT_FOUND', 'ok', 'INVITE_NOT_FOUND', 'INVITE_NOT_FOUND', 'INVITE_NOT_FOUND'),
    dirty: true,
  },
  'POST /group/invite/decline/{id}': {
    auth: 'token',
    call: (w) => ({ url: `/group/invite/decline/${w.inviteId}` }),
    expect: per('INVITE_NOT_FOUND', 'ok', 'INVITE_NOT_FOUND', 'INVITE_NOT_FOUND', 'INVITE_NOT_FOUND'),
    dirty: true,
  },
  'PUT /group/admin': {
    auth: 'token',
    call: (w) => ({ url: '/group/admin', body: { groupId: w.groupId, userId: w.victim.id, isAdmin: true } }),
    expect: per('OWNER_ONLY', 'OWNER_ONLY', 'OWNER_ONLY', 'OWNER_ONLY', 'ok'),
    dirty: true,
  },
  'PUT /group/mute': {
    auth: 'token',
    call: (w) => ({ url: '/group/mute', body: { groupId: w.groupId, userId: w.victim.id, minutes: 5 } }),
    expect: per('ADMIN_ONLY', 'ADMIN_ONLY', 'ADMIN_ONLY', 'ADMIN_ONLY', 'ok'),
    dirty: true,
  },
  'PUT /group/muteAll': {
    auth: 'token',
    call: (w) => ({ url: '/group/muteAll', body: { groupId: w.groupId, muted: true } }),
    expect: per('ADMIN_ONLY', 'ADMIN_ONLY', 'ADMIN_ONLY', 'ADMIN_ONLY', 'ok'),
    dirty: true,
  },
  'PUT /group/transfer': {
    auth: 'token',
    call: (w) => ({ url: '/group/transfer', body: { groupId: w.groupId, userId: w.member.id } }),
    expect: per('OWNER_ONLY', 'OWNER_ONLY', 'OWNER_ONLY', 'OWNER_ONLY', 'ok'),
    dirty: true,
  },
  // group messages
  'POST /message/group/send': {
    auth: 'token',
    call: (w) => ({ url: '/message/group/send', body: { groupId: w.groupId, content: 'hi', type: 0 } }),
    expect: per('SEND_NOT_MEMBER', 'SEND_NOT_MEMBER', 'SEND_NOT_MEMBER', 'ok', 'ok'),
  },
  'DELETE /message/group/recall/{id}': {
    auth: 'token',
    call: (w) => ({ url: `/message/group/recall/${w.groupMessageId}` }),
    expect: per('RECALL_NOT_SENDER', 'RECALL_NOT_SENDER', 'RECALL_NOT_SENDER', 'RECALL_NOT_SENDER', 'ok'),
    dirty: true,
  },
  'GET /message/group/loadOfflineMessage': {
    auth: 'token',
    call: () => ({ url: '/message/group/loadOfflineMessage?minId=0' }),
    expect: 'ok',
  },
  'PUT /message/group/readed': {
    auth: 'token',
    call: (w) => ({ url: `/message/group/readed?groupId=${w.groupId}` }),
    expect: per('NOT_MEMBER', 'NOT_MEMBER', 'ok', 'ok', 'ok'),
  },
  'GET /message/group/findReadedUsers': {
    auth: 'token',
    call: (w) => ({
      url: `/message/group/findReadedUsers?groupId=${w.groupId}&messageId=${w.groupMessageId}`,
    }),
    expect: per('NOT_IN_GROUP', 'NOT_IN_GROUP', 'NOT_IN_GROUP', 'ok', 'ok'),
  },
  'GET /message/group/history': {
    auth: 'token',
    call: (w) => ({ url: `/message/group/history?groupId=${w.groupId}&page=1&size=10` }),
    expect: per('NOT_IN_GROUP', 'NOT_IN_GROUP', 'ok', 'ok', 'ok'),
  },
  // uploads (anonymous uploads are off by default)
  'POST /image/upload': {
    auth: 'token',
    call: async () => ({ url: '/image/upload', body: form(await makePng(32, 32), 'a.png', 'image/png') }),
    expect: 'ok',
  },
  'POST /file/upload': {
    auth: 'token',
    call: () => ({ url: '/file/upload', body: form(Buffer.from('hello'), 'a.txt', 'text/plain') }),
    expect: 'ok',
  },
  'POST /video/upload': {
    auth: 'token',
    call: () => ({ url: '/video/upload', body: form(makeMp4(1, 64, 48), 'a.mp4', 'video/mp4') }),
    expect: 'ok',
  },
  // calls: nobody has a socket in this tier, so a call between friends stops at "offline"
  'POST /webrtc/private/call': {
    auth: 'token',
    call: (w) => ({ url: `/webrtc/private/call?uid=${w.owner.id}&mode=video`, body: { sdp: 'x' } }),
    expect: per('CALL_NOT_FRIEND', 'SELF_OFFLINE', 'CALL_NOT_FRIEND', 'SELF_OFFLINE', 'CALL_SELF'),
  },
  ...Object.fromEntries(
    ['accept', 'reject', 'cancel', 'handup', 'candidate', 'heartbeat', 'failed'].map((step) => [
      `POST /webrtc/private/${step}`,
      {
        auth: 'token',
        call: (w: World) => ({
          url: `/webrtc/private/${step}?uid=${w.owner.id}${step === 'failed' ? '&reason=x' : ''}`,
        }),
        expect: 'CALL_ENDED',
      } satisfies Entry,
    ]),
  ),
  // group calls: members only; without a socket a member stops at "offline", with no call at "ended"
  'POST /webrtc/group/setup': {
    auth: 'token',
    call: (w) => ({
      url: '/webrtc/group/setup',
      body: { groupId: w.groupId, userInfos: [{ id: w.member.id }, { id: w.owner.id }] },
    }),
    expect: per('NOT_MEMBER', 'NOT_MEMBER', 'NOT_MEMBER', 'SELF_OFFLINE', 'SELF_OFFLINE'),
  },
  'POST /webrtc/group/join': {
    auth: 'token',
    call: (w) => ({ url: `/webrtc/group/join?groupId=${w.groupId}` }),
    expect: per('NOT_MEMBER', 'NOT_MEMBER', 'NOT_MEMBER', 'SELF_OFFLINE', 'SELF_OFFLINE'),
  },
  'GET /webrtc/group/info': {
    auth: 'token',
    call: (w) => ({ url: `/webrtc/group/info?groupId=${w.groupId}` }),
    expect: per('NOT_MEMBER', 'NOT_MEMBER', 'NOT_MEMBER', 'ok', 'ok'),
  },
  ...Object.fromEntries(
    ['accept', 'reject', 'quit', 'cancel', 'heartbeat'].map((step) => [
      `POST /webrtc/group/${step}`,
      {
        auth: 'token',
        call: (w: World) => ({ url: `/webrtc/group/${step}?groupId=${w.groupId}` }),
        expect: 'GROUP_CALL_ENDED',
      } satisfies Entry,
    ]),
  ),
  ...Object.fromEntries(
    (
      [
        ['invite', (w: World) => ({ userInfos: [{ id: w.member.id }] })],
        ['offer', (w: World) => ({ userId: w.owner.id, offer: 'x' })],
        ['answer', (w: World) => ({ userId: w.owner.id, answer: 'x' })],
        ['candidate', (w: World) => ({ userId: w.owner.id, candidate: 'x' })],
        ['failed', () => ({ reason: 'x' })],
        ['device', () => ({ isCamera: true, isMicroPhone: true })],
      ] as const
    ).map(([step, body]) => [
      `POST /webrtc/group/${step}`,
      {
        auth: 'token',
        call: (w: World) => ({ url: `/webrtc/group/${step}`, body: { groupId: w.groupId, ...body(w) } }),
        expect: 'GROUP_CALL_ENDED',
      } satisfies Entry,
    ]),
  ),
  // administration (issue 15): system administrators only; the admin role's own cases are in
  // test/admin/admin-api.test.ts
  ...Object.fromEntries(
    (
      [
        ['GET /admin/self', () => ({ url: '/admin/self' })],
        ['GET /admin/users', () => ({ url: '/admin/users?keyword=a&page=1&size=10' })],
        ['GET /admin/groups', () => ({ url: '/admin/groups?keyword=a' })],
        [
          'POST /admin/user/ban',
          (w: World) => ({ url: '/admin/user/ban', body: { userId: w.victim.id, reason: 'x' } }),
        ],
        [
          'POST /admin/user/unban',
          (w: World) => ({ url: '/admin/user/unban', body: { userId: w.victim.id } }),
        ],
        [
          'POST /admin/group/ban',
          (w: World) => ({ url: '/admin/group/ban', body: { groupId: w.groupId, reason: 'x' } }),
        ],
        [
          'POST /admin/group/unban',
          (w: World) => ({ url: '/admin/group/unban', body: { groupId: w.groupId } }),
        ],
        ['GET /admin/words', () => ({ url: '/admin/words' })],
        ['POST /admin/words', () => ({ url: '/admin/words', body: { content: 'x' } })],
        ['PUT /admin/words/{id}', () => ({ url: '/admin/words/1', body: { enabled: false } })],
        ['DELETE /admin/words/{id}', () => ({ url: '/admin/words/1' })],
        ['GET /admin/stats', () => ({ url: '/admin/stats?from=2020-01-01&to=2020-01-02' })],
        ['GET /admin/audit', () => ({ url: '/admin/audit?page=1&size=10' })],
      ] as const
    ).map(([route, call]) => [route, { auth: 'token', call, expect: 'NOT_ADMIN' } satisfies Entry]),
  ),
};

async function makeWorld(t: TestApp): Promise<World> {
  const owner = await t.newUser('own');
  const member = await t.newUser('mem');
  const former = await t.newUser('frm');
  const nonMember = await t.newUser('non');
  const stranger = await t.newUser('str');
  const victim = await t.newUser('vic');
  for (const u of [member, former, nonMember, victim]) await t.befriend(owner, u);
  const groupId = (await owner.api.post('/group/create', { name: 'matrix' })).data.id;
  await owner.api.post('/group/invite', { groupId, friendIds: [member.id, former.id, victim.id] });
  await former.api.post('/message/private/send', { recvId: owner.id, content: 'old', type: 0 });
  await former.api.delete(`/group/quit/${groupId}`);
  await owner.api.delete(`/friend/delete/${former.id}`);
  const privateId = (
    await owner.api.post('/message/private/send', { recvId: member.id, content: 'pm', type: 0 })
  ).data.id;
  const groupMessageId = (
    await owner.api.post('/message/group/send', { groupId, content: 'gm', type: 0, receipt: true })
  ).data.id;
  // made as with FRIEND_REQUEST=on (the matrix runs with the default, off)
  const { repos } = t.running.ctx;
  const requestId = await repos.friendRequests.create(stranger.id, owner.id, 'hello', new Date());
  const inviteId = await repos.groupInvites.create(groupId, owner.id, nonMember.id, new Date());
  return {
    owner,
    member,
    former,
    nonMember,
    stranger,
    victim,
    groupId,
    privateId,
    groupMessageId,
    requestId,
    inviteId,
  };
}

describe('authorization matrix', () => {
  let t: TestApp;
  let routes: string[];
  beforeAll(async () => {
    t = await startTestApp();
    const doc = (await t.running.app.inject('/api/doc')).json<{ paths: Record<string, object> }>();
    routes = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((m) => `${m.toUpperCase()} ${path.replace(/^\/api/, '')}`),
    );
  });
  afterAll(() => t.close());

  it('lists every route of the OpenAPI document, and only those', () => {
    const unknown = routes.filter((r) => !(r in MATRIX));
    expect(unknown, `routes without an authorization entry: ${unknown.join(', ')}`).toEqual([]);
    expect(Object.keys(MATRIX).filter((r) => !routes.includes(r))).toEqual([]);
    expect(routes.length).toBeGreaterThanOrEqual(45);
  });

  it('answers every caller of every route as listed', async () => {
    const { ctx } = t.running;
    const failures: string[] = [];
    let shared: World | undefined;
    let n = 0;
    const tokenFor = async (caller: (typeof TOKENS)[number], w: World): Promise<string | undefined> => {
      if (caller === 'none') return undefined;
      if (caller === 'refresh') return w.owner.tokens.refreshToken;
      if (caller === 'forged') return boximToken(w.owner.id, { secret: 'a-key-this-server-does-not-hold' });
      const row = (await ctx.repos.users.findById(w.owner.id))!;
      const past = new TokenService({
        accessSecret: ctx.config.JWT_ACCESS_SECRET,
        refreshSecret: ctx.config.JWT_REFRESH_SECRET,
        accessTtlSeconds: 60,
        refreshTtlSeconds: 120,
        clock: { now: () => new Date(Date.now() - 3600_000) },
      });
      const info = JSON.stringify({
        userId: w.owner.id,
        terminal: 0,
        userName: w.owner.userName,
        nickName: 'n',
      });
      return (await past.issue(info, w.owner.id, TokenService.passwordVersion(row.password))).accessToken;
    };
    const send = async (api: ApiClient, method: string, c: Call): Promise<ApiResult> =>
      api.request(method, c.url, c.body, c.headers);
    const check = (route: string, caller: Caller, want: Outcome, res: ApiResult) => {
      const got = res.code === 200 ? 'ok' : (res.headers.get('x-error-key') ?? `code ${res.code}`);
      // box-im's envelope: HTTP 200 always, the code says what happened (401: token refused)
      const wellFormed = res.status === 200 && (want !== 'INVALID_TOKEN' || res.code === 401);
      // (box-im answers a file upload with an empty message; errors always say what is wrong)
      const said = typeof res.message === 'string' && (got === 'ok' || res.message !== '');
      if (got !== want || !wellFormed || !said)
        failures.push(
          `${route} as ${caller}: want ${want}, got ${got} (${res.status} ${res.code} ${res.message})`,
        );
    };

    for (const [route, entry] of Object.entries(MATRIX)) {
      const method = route.split(' ')[0]!;
      shared ??= await makeWorld(t);
      for (const caller of TOKENS) {
        const w = shared;
        const token = await tokenFor(caller, w);
        const want = entry.auth === 'public' ? 'ok' : caller === 'none' ? 'NO_LOGIN' : 'INVALID_TOKEN';
        const res = await send(w.owner.api.as(token), method, await entry.call(w, n++));
        check(route, caller, want, res);
      }
      for (const relation of RELATIONS) {
        const w = shared;
        const want = typeof entry.expect === 'string' ? entry.expect : entry.expect[relation];
        check(route, relation, want, await send(w[relation].api, method, await entry.call(w, n++)));
      }
      if (entry.dirty) shared = undefined;
    }
    expect(failures, failures.join('\n')).toEqual([]);
  }, 120_000);
});
