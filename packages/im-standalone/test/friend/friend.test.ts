import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestServer, type TestServer } from '../../testing';

const PRIVATE = 3;
const T = { TIP_TEXT: 21, FRIEND_NEW: 80, FRIEND_DEL: 81, FRIEND_DND: 82 };
type Msg = { type: number; sendId: number; recvId: number; content?: string; id?: number };
const data = (f: { data: unknown }) => f.data as Msg;

describe.each(ENGINES)('friends (%s)', (engine) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ engine });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('adds both ways at once, pushes FRIEND_NEW and one stored tip to every terminal of both', async () => {
    const alice = await t.newUser('alice');
    const aliceApp = await alice.onTerminal(1);
    const bob = await t.newUser('bob');
    const [aWeb, aApp, bWeb] = await Promise.all([alice.socket(), aliceApp.socket(), bob.socket()]);

    const res = await alice.api.post(`/friend/add?friendId=${bob.id}`);
    expect(res).toMatchObject({ code: 200, data: null });

    for (const s of [aWeb, aApp]) {
      const f = data(await s.nextMessage(PRIVATE, T.FRIEND_NEW));
      expect(f).toMatchObject({ sendId: bob.id, recvId: alice.id });
      expect(JSON.parse(f.content!)).toEqual({
        id: bob.id,
        nickName: bob.nickName,
        headImage: '',
        deleted: false,
      });
    }
    const bNew = data(await bWeb.nextMessage(PRIVATE, T.FRIEND_NEW));
    expect(JSON.parse(bNew.content!)).toMatchObject({
      id: alice.id,
      nickName: alice.nickName,
      deleted: false,
    });

    const tips = await Promise.all([aWeb, aApp, bWeb].map((s) => s.nextMessage(PRIVATE, T.TIP_TEXT)));
    for (const tip of tips.map(data)) {
      expect(tip).toMatchObject({
        sendId: alice.id,
        recvId: bob.id,
        content: '你们已成为好友，现在可以开始聊天了',
      });
    }
    expect(new Set(tips.map((f) => data(f).id)).size).toBe(1);
    // Exactly once each.
    for (const s of [aWeb, aApp, bWeb])
      expect(await s.settle((f) => data(f)?.type === T.TIP_TEXT, 200)).toHaveLength(0);

    const aList = await alice.api.get('/friend/list');
    // With the online flags of the terminals connected above (bob: web; alice: web and app).
    expect(aList.data).toEqual([
      {
        id: bob.id,
        nickName: bob.nickName,
        headImage: '',
        isDnd: null,
        deleted: false,
        online: true,
        onlineWeb: true,
        onlineApp: false,
      },
    ]);
    const bList = await bob.api.get('/friend/list');
    expect(bList.data).toEqual([
      {
        id: alice.id,
        nickName: alice.nickName,
        headImage: '',
        isDnd: null,
        deleted: false,
        online: true,
        onlineWeb: true,
        onlineApp: true,
      },
    ]);

    // The tip is a stored message both sides pull.
    const pulled = await bob.api.get('/message/private/loadOfflineMessage?minId=0');
    expect(pulled.data).toEqual([
      expect.objectContaining({ type: T.TIP_TEXT, sendId: alice.id, recvId: bob.id }),
    ]);
    for (const s of [aWeb, aApp, bWeb]) s.close();
  });

  it('refuses adding yourself, an unknown user or an existing friend with a clear message', async () => {
    const alice = await t.newUser('alice');
    const bob = await t.newUser('bob');
    const self = await alice.api.post(`/friend/add?friendId=${alice.id}`);
    expect(self).toMatchObject({ code: 500, message: '不允许添加自己为好友' });
    expect(self.headers.get('x-error-key')).toBe('ADD_SELF');
    const ghost = await alice.api.post('/friend/add?friendId=987654321');
    expect(ghost).toMatchObject({ code: 500, message: '用户不存在' });
    const missing = await alice.api.post('/friend/add');
    expect(missing.code).toBe(500);
    expect(missing.message).toContain('friendId');
    await t.befriend(alice, bob);
    const again = await alice.api.post(`/friend/add?friendId=${bob.id}`);
    expect(again).toMatchObject({ code: 500, message: '对方已经是您的好友' });
    const reverse = await bob.api.post(`/friend/add?friendId=${alice.id}`);
    expect(reverse.message).toBe('对方已经是您的好友');
  });

  it('keeps one row per (user, friend) even under concurrent adds', async () => {
    const alice = await t.newUser('alice');
    const bob = await t.newUser('bob');
    const results = await Promise.all([
      alice.api.post(`/friend/add?friendId=${bob.id}`),
      alice.api.post(`/friend/add?friendId=${bob.id}`),
      bob.api.post(`/friend/add?friendId=${alice.id}`),
    ]);
    expect(results.some((r) => r.code === 200)).toBe(true);
    for (const r of results) expect([200, 500]).toContain(r.code);
    const rows = await t.running.ctx.db.db
      .selectFrom('im_friend')
      .selectAll()
      .where((eb) => eb.or([eb('user_id', '=', alice.id), eb('user_id', '=', bob.id)]))
      .execute();
    expect(rows).toHaveLength(2);
    const tips = await t.running.ctx.db.db
      .selectFrom('im_private_message')
      .select('id')
      .where('type', '=', T.TIP_TEXT)
      .where((eb) => eb.or([eb('send_id', '=', alice.id), eb('recv_id', '=', alice.id)]))
      .execute();
    expect(tips).toHaveLength(1);
    // The unique index itself refuses a second row.
    await expect(
      t.running.ctx.db.db
        .insertInto('im_friend')
        .values({
          user_id: alice.id,
          friend_id: bob.id,
          friend_nick_name: 'x',
          deleted: 0,
          created_time: new Date(),
        })
        .execute(),
    ).rejects.toSatisfy((e) => t.running.ctx.db.isUniqueViolation(e));
  });

  it('finds a friend, also after deletion; strangers are refused', async () => {
    const alice = await t.newUser('alice');
    const bob = await t.newUser('bob');
    const carol = await t.newUser('carol');
    await t.befriend(alice, bob);
    const found = await alice.api.get(`/friend/find/${bob.id}`);
    expect(found.data).toEqual({
      id: bob.id,
      nickName: bob.nickName,
      headImage: '',
      isDnd: null,
      deleted: false,
      online: false,
      onlineWeb: false,
      onlineApp: false,
    });
    const stranger = await alice.api.get(`/friend/find/${carol.id}`);
    expect(stranger).toMatchObject({ code: 500, message: '对方不是您的好友' });
    await alice.api.delete(`/friend/delete/${bob.id}`);
    const deleted = await alice.api.get(`/friend/find/${bob.id}`);
    expect(deleted.data).toMatchObject({ id: bob.id, deleted: true });
    const bad = await alice.api.get('/friend/find/abc');
    expect(bad.code).toBe(500);
    expect(bad.message).toContain('friendId');
  });

  it('deletes both ways: FRIEND_DEL to both, the tip once to each side, sending refused after', async () => {
    const alice = await t.newUser('alice');
    const bob = await t.newUser('bob');
    await t.befriend(alice, bob);
    const [aWeb, bWeb] = await Promise.all([alice.socket(), bob.socket()]);

    const res = await alice.api.delete(`/friend/delete/${bob.id}`);
    expect(res.code).toBe(200);
    expect(data(await aWeb.nextMessage(PRIVATE, T.FRIEND_DEL))).toMatchObject({
      sendId: bob.id,
      recvId: alice.id,
    });
    expect(data(await bWeb.nextMessage(PRIVATE, T.FRIEND_DEL))).toMatchObject({
      sendId: alice.id,
      recvId: bob.id,
    });
    const tip = '你们的好友关系已被解除';
    expect(data(await aWeb.nextMessage(PRIVATE, T.TIP_TEXT)).content).toBe(tip);
    expect(data(await bWeb.nextMessage(PRIVATE, T.TIP_TEXT)).content).toBe(tip);
    for (const s of [aWeb, bWeb])
      expect(await s.settle((f) => data(f)?.type === T.TIP_TEXT, 200)).toHaveLength(0);

    expect((await alice.api.get('/friend/list')).data).toEqual([
      expect.objectContaining({ id: bob.id, deleted: true }),
    ]);
    expect((await bob.api.get('/friend/list')).data).toEqual([
      expect.objectContaining({ id: alice.id, deleted: true }),
    ]);
    const send = await bob.api.post('/message/private/send', { recvId: alice.id, content: 'hi', type: 0 });
    expect(send).toMatchObject({ code: 500, message: '您已不是对方好友，无法发送消息' });
    const again = await alice.api.delete(`/friend/delete/${bob.id}`);
    expect(again).toMatchObject({ code: 500, message: '对方不是您的好友' });

    // Re-adding revives the rows.
    await t.befriend(bob, alice);
    expect((await alice.api.get('/friend/list')).data).toEqual([
      expect.objectContaining({ id: bob.id, deleted: false }),
    ]);
    aWeb.close();
    bWeb.close();
  });

  it('dnd: stored, pushed to my other terminals only, kept across re-adding', async () => {
    const alice = await t.newUser('alice');
    const aliceApp = await alice.onTerminal(1);
    const bob = await t.newUser('bob');
    await t.befriend(alice, bob);
    const [aWeb, aApp, bWeb] = await Promise.all([alice.socket(), aliceApp.socket(), bob.socket()]);

    const res = await alice.api.put('/friend/dnd', { friendId: bob.id, isDnd: true });
    expect(res.code).toBe(200);
    expect(data(await aApp.nextMessage(PRIVATE, T.FRIEND_DND))).toMatchObject({
      sendId: alice.id,
      recvId: bob.id,
      content: 'true',
    });
    expect(await aWeb.settle((f) => data(f)?.type === T.FRIEND_DND, 200)).toHaveLength(0);
    expect(await bWeb.settle((f) => data(f)?.type === T.FRIEND_DND, 10)).toHaveLength(0);
    expect((await alice.api.get(`/friend/find/${bob.id}`)).data.isDnd).toBe(true);

    const missing = await alice.api.put('/friend/dnd', { friendId: bob.id });
    expect(missing.code).toBe(500);
    expect(missing.message).toContain('isDnd');
    const stranger = await t.newUser('carol');
    expect((await alice.api.put('/friend/dnd', { friendId: stranger.id, isDnd: true })).message).toBe(
      '对方不是您的好友',
    );

    await alice.api.delete(`/friend/delete/${bob.id}`);
    await t.befriend(alice, bob);
    expect((await alice.api.get(`/friend/find/${bob.id}`)).data.isDnd).toBe(true);
    for (const s of [aWeb, aApp, bWeb]) s.close();
  });

  it("profile changes reach friends' lists", async () => {
    const alice = await t.newUser('alice');
    const bob = await t.newUser('bob');
    await t.befriend(alice, bob);
    const upd = await bob.api.put('/user/update', {
      id: bob.id,
      nickName: 'Bobby',
      headImageThumb: 'http://img/b.png',
    });
    expect(upd.code).toBe(200);
    expect((await alice.api.get('/friend/list')).data).toEqual([
      expect.objectContaining({ id: bob.id, nickName: 'Bobby', headImage: 'http://img/b.png' }),
    ]);
    expect((await alice.api.get(`/friend/find/${bob.id}`)).data.nickName).toBe('Bobby');
    const db = t.running.ctx.db.db;
    await db
      .insertInto('im_group_member')
      .values({ group_id: 1, user_id: bob.id, user_nick_name: 'old', created_time: new Date() })
      .execute();
    await bob.api.put('/user/update', { id: bob.id, nickName: 'Robert', headImageThumb: 'http://img/r.png' });
    const member = await db
      .selectFrom('im_group_member')
      .selectAll()
      .where('user_id', '=', bob.id)
      .executeTakeFirstOrThrow();
    expect(member).toMatchObject({ user_nick_name: 'Robert', head_image: 'http://img/r.png' });
    // A change of other fields leaves the copies alone.
    await db
      .updateTable('im_friend')
      .set({ friend_nick_name: 'stale' })
      .where('friend_id', '=', bob.id)
      .execute();
    await bob.api.put('/user/update', {
      id: bob.id,
      nickName: 'Robert',
      headImageThumb: 'http://img/r.png',
      signature: 'hey',
    });
    expect((await alice.api.get(`/friend/find/${bob.id}`)).data.nickName).toBe('stale');
  });

  it('requires a token', async () => {
    expect((await t.anon.get('/friend/list')).code).toBe(400);
  });
});
