/**
 * Group chat over HTTP and real WebSockets: send with @ and @all, idempotent tmpId,
 * fan-out to members only, sync of the sender's other terminals, receipts read by N
 * members, recall, history and readers, with the permission checks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestServer, type TestServer, type TestUser } from '../../testing';
import { GROUP, gm, isGroup, makeGroup, S, T, text, type GMsg } from './support';

describe.each(ENGINES)('group messages on %s', (engine) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ engine });
  });
  afterAll(async () => {
    await t?.close();
  });

  async function team(n: number) {
    const owner = await t.newUser('own');
    const members: TestUser[] = [];
    for (let i = 0; i < n; i++) members.push(await t.newUser(`m${i}`));
    const outsider = await t.newUser('out');
    const g = await makeGroup(t, owner, members);
    return { owner, members, outsider, g };
  }

  it('reaches every member once, the sender’s other terminals, and nobody outside', async () => {
    const { owner, members, outsider, g } = await team(2);
    const [bob, carol] = members as [TestUser, TestUser];
    const ownerPhone = await owner.onTerminal(1);
    const [ownerWs, phoneWs, bobWs, carolWs, outWs] = await Promise.all([
      owner.socket(),
      ownerPhone.socket(),
      bob.socket(),
      carol.socket(),
      outsider.socket(),
    ]);
    const res = await owner.api.post<GMsg>(
      '/message/group/send',
      text(g.id, 'hello all', { tmpId: 't1', atUserIds: [String(bob.id), -1], receipt: false }),
    );
    expect(res.code).toBe(200);
    expect(res.data).toMatchObject({
      groupId: g.id,
      sendId: owner.id,
      sendNickName: owner.nickName,
      content: 'hello all',
      type: 0,
      status: S.PENDING,
      tmpId: 't1',
      readedCount: 0,
      receipt: false,
    });
    expect(res.data!.atUserIds).toEqual([-1, bob.id]);
    for (const ws of [bobWs, carolWs, phoneWs]) {
      const got = gm(await ws.next(isGroup(T.TEXT, g.id)));
      expect(got).toMatchObject({ id: res.data!.id, content: 'hello all', atUserIds: [-1, bob.id] });
    }
    // The sending terminal has the HTTP answer; nobody gets it twice; outsiders get nothing.
    expect(await ownerWs.settle(isGroup(T.TEXT, g.id), 200)).toHaveLength(0);
    for (const ws of [bobWs, carolWs, phoneWs])
      expect(ws.frames.filter(isGroup(T.TEXT, g.id))).toHaveLength(0);
    expect(outWs.frames.filter((f) => f.cmd === GROUP)).toHaveLength(0);

    // Same tmpId again: the stored message, not a second one.
    const again = await owner.api.post<GMsg>('/message/group/send', text(g.id, 'hello all', { tmpId: 't1' }));
    expect(again.data!.id).toBe(res.data!.id);
    expect(await bobWs.settle(isGroup(T.TEXT, g.id), 200)).toHaveLength(0);
    for (const ws of [ownerWs, phoneWs, bobWs, carolWs, outWs]) ws.close();
  });

  it('concurrent retries with one tmpId store one message', async () => {
    const { owner, g } = await team(1);
    const replies = await Promise.all(
      Array.from({ length: 5 }, () =>
        owner.api.post<GMsg>('/message/group/send', text(g.id, 'once', { tmpId: 'same-1' })),
      ),
    );
    expect(new Set(replies.map((r) => r.data!.id)).size).toBe(1);
    const stored = await t.running.ctx.db.db
      .selectFrom('im_group_message')
      .select('id')
      .where('group_id', '=', g.id)
      .where('tmp_id', '=', 'same-1')
      .execute();
    expect(stored).toHaveLength(1);
  });

  it('checks the sender, the @ targets and the content', async () => {
    const { owner, members, outsider, g } = await team(1);
    const bob = members[0]!;
    const send = (u: TestUser, body: object) => u.api.post('/message/group/send', body);
    expect((await send(outsider, text(g.id, 'x'))).message).toBe('您已不在群聊里面，无法发送消息');
    expect((await send(owner, text(99999999, 'x'))).message).toBe('群组不存在');
    expect((await send(bob, text(g.id, 'x', { atUserIds: [-1] }))).message).toBe('只有群主才能@全体成员');
    expect((await send(bob, text(g.id, 'x', { atUserIds: [outsider.id] }))).message).toBe(
      `被@的用户${outsider.id}不在群聊中`,
    );
    const many = Array.from({ length: 21 }, (_, i) => i + 1);
    expect((await send(owner, text(g.id, 'x', { atUserIds: many }))).message).toMatch(/atUserIds/);
    expect((await send(owner, { groupId: g.id, content: 'x', type: 10 })).message).toBe(
      '不支持发送该类型的消息：10',
    );
    expect((await send(owner, { groupId: g.id, content: 'x', type: 21 })).code).toBe(500);
    expect((await send(owner, text(g.id, '   '))).message).toBe('发送内容不可为空');
    expect((await send(owner, text(g.id, 'x'.repeat(1025)))).message).toBe('内容长度不得大于1024');
    expect((await send(owner, { groupId: g.id, content: '{}', type: 1 })).code).toBe(500);
    expect((await send(owner, { groupId: g.id, type: 0 })).message).toMatch(/content/);
    // Banned groups refuse messages.
    await t.running.ctx.db.db
      .updateTable('im_group')
      .set({ is_banned: 1, reason: 'spam' })
      .where('id', '=', g.id)
      .execute();
    expect((await send(bob, text(g.id, 'x'))).message).toBe("群组'team'已被封禁,原因:spam");
    expect((await bob.api.post('/group/invite', { groupId: g.id, friendIds: [owner.id] })).message).toBe(
      "群组'team'已被封禁,原因:spam",
    );
  });

  it('receipt message read by N members: the sender sees 1..N and then receiptOk; readers are listed', async () => {
    const { owner, members, outsider, g } = await team(3);
    const ownerWs = await owner.socket();
    const sent = (
      await owner.api.post<GMsg>('/message/group/send', text(g.id, '【回执消息】read me', { receipt: true }))
    ).data!;
    expect(sent.receipt).toBe(true);
    for (let i = 0; i < members.length; i++) {
      const m = members[i]!;
      const phone = await (await m.onTerminal(1)).socket();
      expect((await m.api.put(`/message/group/readed?groupId=${g.id}&messageId=${sent.id}`)).code).toBe(200);
      await phone.next(isGroup(T.READED, g.id)); // the reader's other terminal is synced
      const receipt = gm(await ownerWs.next(isGroup(T.RECEIPT, g.id)));
      expect(receipt).toMatchObject({ id: sent.id, readedCount: i + 1, receiptOk: i === members.length - 1 });
      phone.close();
    }
    const readers = (
      await owner.api.get<number[]>(`/message/group/findReadedUsers?groupId=${g.id}&messageId=${sent.id}`)
    ).data!;
    expect(readers.sort()).toEqual(members.map((m) => m.id).sort());
    // Reading again changes nothing.
    await members[0]!.api.put(`/message/group/readed?groupId=${g.id}&messageId=${sent.id}`);
    expect(await ownerWs.settle(isGroup(T.RECEIPT, g.id), 200)).toHaveLength(0);
    const stored = await t.running.ctx.db.db
      .selectFrom('im_group_message')
      .select('receipt_ok')
      .where('id', '=', sent.id)
      .executeTakeFirstOrThrow();
    expect(stored.receipt_ok).toBe(1);
    // The sender's offline pull and history carry the count.
    const offline = (await owner.api.get<GMsg[]>(`/message/group/loadOfflineMessage?minId=${sent.id - 1}`))
      .data!;
    expect(offline.find((m) => m.id === sent.id)).toMatchObject({ readedCount: 3, receiptOk: true });
    expect(
      (await outsider.api.get(`/message/group/findReadedUsers?groupId=${g.id}&messageId=${sent.id}`)).message,
    ).toBe('您已不在群聊里面');
    expect(
      (await owner.api.get(`/message/group/findReadedUsers?groupId=${g.id}&messageId=99999999`)).message,
    ).toBe('消息不存在');
    expect((await outsider.api.put(`/message/group/readed?groupId=${g.id}`)).message).toBe(
      '您不是群聊的成员',
    );
    ownerWs.close();
  });

  it('read positions survive in the database: status READED in the offline pull, readed without messageId', async () => {
    const { owner, members, g } = await team(1);
    const bob = members[0]!;
    const a = (await owner.api.post<GMsg>('/message/group/send', text(g.id, 'one'))).data!;
    const b = (await owner.api.post<GMsg>('/message/group/send', text(g.id, 'two'))).data!;
    await bob.api.put(`/message/group/readed?groupId=${g.id}&messageId=${a.id}`);
    let pulled = (await bob.api.get<GMsg[]>(`/message/group/loadOfflineMessage?minId=0`)).data!.filter(
      (m) => m.type === T.TEXT,
    );
    expect(pulled.map((m) => [m.id, m.status])).toEqual([
      [a.id, S.READED],
      [b.id, S.PENDING],
    ]);
    await bob.api.put(`/message/group/readed?groupId=${g.id}`);
    pulled = (await bob.api.get<GMsg[]>(`/message/group/loadOfflineMessage?minId=${a.id}`)).data!;
    expect(pulled.find((m) => m.id === b.id)!.status).toBe(S.READED);
    // A bogus id beyond the group's messages does not push the position past them.
    await bob.api.put(`/message/group/readed?groupId=${g.id}&messageId=99999999`);
    const row = await t.running.ctx.db.db
      .selectFrom('im_group_member')
      .select('readed_message_id')
      .where('group_id', '=', g.id)
      .where('user_id', '=', bob.id)
      .executeTakeFirstOrThrow();
    expect(Number(row.readed_message_id)).toBeLessThan(99999999);
  });

  it('recall: own message within 300 s; members and the sender’s other terminals get RECALL', async () => {
    const { owner, members, outsider, g } = await team(1);
    const bob = members[0]!;
    const [bobWs, phoneWs, outWs] = await Promise.all([
      bob.socket(),
      (await owner.onTerminal(1)).socket(),
      outsider.socket(),
    ]);
    const sent = (await owner.api.post<GMsg>('/message/group/send', text(g.id, 'oops'))).data!;
    expect((await bob.api.delete(`/message/group/recall/${sent.id}`)).message).toBe(
      '这条消息不是由您发送,无法撤回',
    );
    expect((await owner.api.delete('/message/group/recall/99999999')).message).toBe('消息不存在');
    const res = await owner.api.delete<GMsg>(`/message/group/recall/${sent.id}`);
    expect(res.data).toMatchObject({
      type: T.RECALL,
      content: String(sent.id),
      groupId: g.id,
      sendId: owner.id,
    });
    for (const ws of [bobWs, phoneWs])
      expect(gm(await ws.next(isGroup(T.RECALL, g.id))).content).toBe(String(sent.id));
    expect(await phoneWs.settle(isGroup(T.RECALL, g.id), 200)).toHaveLength(0); // once, not twice
    expect(outWs.frames.filter((f) => f.cmd === GROUP)).toHaveLength(0);
    expect((await owner.api.delete(`/message/group/recall/${sent.id}`)).message).toBe('消息已被撤回');
    // Recalled messages stay out of history, keep their status in the offline pull.
    const history = (await bob.api.get<GMsg[]>(`/message/group/history?groupId=${g.id}&page=1&size=10`))
      .data!;
    expect(history.some((m) => m.id === sent.id)).toBe(false);
    const offline = (await bob.api.get<GMsg[]>(`/message/group/loadOfflineMessage?minId=${sent.id - 1}`))
      .data!;
    expect(offline.find((m) => m.id === sent.id)!.status).toBe(S.RECALL);
    // Too old.
    const old = (await owner.api.post<GMsg>('/message/group/send', text(g.id, 'old'))).data!;
    t.clock.advance(301_000);
    expect((await owner.api.delete(`/message/group/recall/${old.id}`)).message).toBe(
      '消息已发送超过5分钟，无法撤回',
    );
    for (const ws of [bobWs, phoneWs, outWs]) ws.close();
  });

  it('history: newest first, paged, members only', async () => {
    const { owner, members, outsider, g } = await team(1);
    const ids: number[] = [];
    for (let i = 0; i < 12; i++)
      ids.push(
        (
          await owner.api.post<GMsg>(
            '/message/group/send',
            text(g.id, `m${i}`, { atUserIds: [members[0]!.id] }),
          )
        ).data!.id,
      );
    const page1 = (await members[0]!.api.get<GMsg[]>(`/message/group/history?groupId=${g.id}&page=1&size=10`))
      .data!;
    const texts = page1.filter((m) => m.type === T.TEXT);
    expect(texts[0]!.id).toBe(ids[11]);
    expect(texts[0]!.atUserIds).toEqual([members[0]!.id]);
    expect(page1).toHaveLength(10);
    const page2 = (await members[0]!.api.get<GMsg[]>(`/message/group/history?groupId=${g.id}&page=2&size=10`))
      .data!;
    expect(page2.map((m) => m.id).every((id) => id < page1[9]!.id)).toBe(true);
    expect((await outsider.api.get(`/message/group/history?groupId=${g.id}&page=1&size=10`)).message).toBe(
      '您已不在群聊里面',
    );
    expect((await owner.api.get(`/message/group/history?groupId=${g.id}&page=1`)).message).toMatch(/size/);
  });
});
