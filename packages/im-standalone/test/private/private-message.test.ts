import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestServer, type TestServer } from '../../testing';
import { PRIVATE, S, T, collect, eventually, friends, isChat, msg, rows, text, type Msg } from './support';

describe.each(ENGINES)('private messages (%s)', (engine) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ engine });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('sends to the friend and to my other terminals, returns the VO with tmpId, becomes DELIVERED', async () => {
    const [alice, bob] = await friends(t);
    const aliceApp = await alice.onTerminal(1);
    const [aWeb, aApp, bWeb] = await Promise.all([alice.socket(), aliceApp.socket(), bob.socket()]);

    const res = await alice.api.post(
      '/message/private/send',
      text(bob.id, 'hello <b>bob</b> iframe href=x', 'tmp-1'),
    );
    expect(res.code).toBe(200);
    const vo = res.data;
    expect(vo).toMatchObject({
      tmpId: 'tmp-1',
      sendId: alice.id,
      recvId: bob.id,
      content: 'hello <b>bob</b> iframe href=x',
      type: 0,
      status: S.PENDING,
    });
    expect(typeof vo.id).toBe('number');
    expect(Math.abs(vo.sendTime - Date.now())).toBeLessThan(5000);

    expect(msg(await bWeb.next(isChat))).toEqual(vo);
    expect(msg(await aApp.next(isChat))).toEqual(vo); // multi-terminal sync: sent on web, shown on app
    expect(await aWeb.settle(isChat, 200)).toHaveLength(0); // not echoed to the sending terminal

    await eventually(
      async () => (await rows(t, alice.id, bob.id)).find((r) => r.id === vo.id)?.status === S.DELIVERED,
    );
    for (const s of [aWeb, aApp, bWeb]) s.close();
  });

  it('accepts what the web client posts: its whole local message, ids as strings, numeric tmpIds', async () => {
    const [alice, bob] = await friends(t);
    const local = {
      id: 42,
      tmpId: 1700000000123,
      recvId: String(bob.id),
      content: 'hi',
      type: 0,
      selfSend: true,
      status: -1,
      sendTime: 1,
      readedCount: 0,
    };
    const res = await alice.api.post<Msg>('/message/private/send', local);
    expect(res.code).toBe(200);
    expect(res.data).toMatchObject({ tmpId: '1700000000123', recvId: bob.id, status: S.PENDING });
    expect(res.data!.id).not.toBe(42);
  });

  it('masks sensitive words in text, reloaded from im_sensitive_word', async () => {
    const [alice, bob] = await friends(t);
    await t.running.ctx.repos.sensitiveWords.add('坏蛋');
    await t.running.ctx.jobs.find((j) => j.name === 'sensitive-word-reload')!.runNow!();
    const res = await alice.api.post('/message/private/send', text(bob.id, '你是坏-蛋吗'));
    expect(res.data.content).toBe('你是***吗');
    const stored = await rows(t, alice.id, bob.id);
    expect(stored.at(-1)!.content).toBe('你是***吗');
  });

  it('accepts media contents in the JSON shapes the clients send', async () => {
    const [alice, bob] = await friends(t);
    const image = JSON.stringify({
      originUrl: 'http://x/a.png',
      thumbUrl: 'http://x/a_t.png',
      width: 10,
      height: 20,
    });
    const file = JSON.stringify({ name: 'a.pdf', size: 1234, url: 'http://x/a.pdf' });
    const audio = JSON.stringify({ duration: 3, url: 'http://x/a.wav' });
    for (const [type, content] of [
      [T.IMAGE, image],
      [T.FILE, file],
      [T.AUDIO, audio],
    ] as const) {
      const res = await alice.api.post('/message/private/send', { recvId: bob.id, type, content });
      expect(res).toMatchObject({ code: 200, data: { type, content } });
    }
    const bad = await alice.api.post('/message/private/send', {
      recvId: bob.id,
      type: T.IMAGE,
      content: '{"originUrl":"javascript:alert(1)","thumbUrl":"x"}',
    });
    expect(bad.code).toBe(500);
    expect(bad.message).toContain('originUrl');
  });

  it('refuses forged control types, over-long or blank text and strangers, storing nothing', async () => {
    const [alice, bob] = await friends(t);
    const carol = await t.newUser('carol');
    const before = (await rows(t, alice.id, bob.id)).length;
    const bSocket = await bob.socket();

    for (const type of [T.RECALL, T.READED, T.RECEIPT, T.TIP_TEXT, 40, 80, 81, 82, 100, 101, -1, 5]) {
      const res = await alice.api.post('/message/private/send', { recvId: bob.id, type, content: '1' });
      expect(res, `type ${type}`).toMatchObject({ code: 500, message: `不支持发送该类型的消息：${type}` });
      expect(res.headers.get('x-error-key')).toBe('TYPE_NOT_ALLOWED');
    }
    const long = await alice.api.post('/message/private/send', text(bob.id, 'x'.repeat(1025)));
    expect(long).toMatchObject({ code: 500, message: '内容长度不得大于1024' });
    expect((await alice.api.post('/message/private/send', text(bob.id, 'x'.repeat(1024)))).code).toBe(200);
    const blank = await alice.api.post('/message/private/send', text(bob.id, '  \n\t '));
    expect(blank).toMatchObject({ code: 500, message: '发送内容不可为空' });
    const empty = await alice.api.post('/message/private/send', text(bob.id, ''));
    expect(empty).toMatchObject({ code: 500, message: '发送内容不可为空' });
    const noContent = await alice.api.post('/message/private/send', { recvId: bob.id, type: 0 });
    expect(noContent.code).toBe(500);
    expect(noContent.message).toContain('content');
    const stranger = await alice.api.post('/message/private/send', text(carol.id, 'hi'));
    expect(stranger).toMatchObject({ code: 500, message: '您已不是对方好友，无法发送消息' });
    const self = await alice.api.post('/message/private/send', text(alice.id, 'hi'));
    expect(self.message).toBe('您已不是对方好友，无法发送消息');
    const noRecv = await alice.api.post('/message/private/send', { content: 'hi', type: 0 });
    expect(noRecv.code).toBe(500);
    expect(noRecv.message).toContain('recvId');
    const english = await alice.api.request('POST', '/message/private/send', text(carol.id, 'hi'), {
      'x-im-language': 'en',
    });
    expect(english.message).toBe('You are not friends with this user, the message cannot be sent');

    expect((await rows(t, alice.id, bob.id)).length).toBe(before + 1); // only the 1024-char one
    expect(await rows(t, alice.id, carol.id)).toHaveLength(0);
    expect((await bSocket.settle(isChat, 200)).length).toBe(1);
    bSocket.close();
  });

  it('is idempotent on (sender, tmpId): a retry stores and delivers one message', async () => {
    const [alice, bob] = await friends(t);
    const bSocket = await bob.socket();
    const first = await alice.api.post('/message/private/send', text(bob.id, 'once', 'retry-1'));
    const second = await alice.api.post('/message/private/send', text(bob.id, 'once', 'retry-1'));
    expect(second.data.id).toBe(first.data.id);
    expect(second.data).toMatchObject({ tmpId: 'retry-1', content: 'once', sendTime: first.data.sendTime });
    // Concurrent retries too.
    const burst = await Promise.all(
      [1, 2, 3].map(() => alice.api.post('/message/private/send', text(bob.id, 'burst', 'retry-2'))),
    );
    expect(new Set(burst.map((r) => (r.data as Msg).id)).size).toBe(1);
    const stored = (await rows(t, alice.id, bob.id)).filter((r) => r.type === T.TEXT);
    expect(stored).toHaveLength(2);
    expect(await bSocket.settle(isChat, 300)).toHaveLength(2);
    // The same tmpId towards another user is a different message: refused clearly.
    const carol = await t.newUser('carol');
    await t.befriend(alice, carol);
    const reused = await alice.api.post('/message/private/send', text(carol.id, 'x', 'retry-1'));
    expect(reused).toMatchObject({ code: 500, message: '消息临时id retry-1 已被另一条消息使用' });
    bSocket.close();
  });

  it('recalls my message: RECALL pushed to both sides; other users, repeats and old messages refused', async () => {
    const [alice, bob] = await friends(t);
    const aliceApp = await alice.onTerminal(1);
    const [aWeb, aApp, bWeb] = await Promise.all([alice.socket(), aliceApp.socket(), bob.socket()]);
    const sent = (await alice.api.post('/message/private/send', text(bob.id, 'oops'))).data as Msg;

    const notMine = await bob.api.delete(`/message/private/recall/${sent.id}`);
    expect(notMine).toMatchObject({ code: 500, message: '这条消息不是由您发送,无法撤回' });

    const res = await alice.api.delete(`/message/private/recall/${sent.id}`);
    expect(res.data).toMatchObject({
      type: T.RECALL,
      content: String(sent.id),
      sendId: alice.id,
      recvId: bob.id,
    });
    expect(msg(await bWeb.nextMessage(PRIVATE, T.RECALL))).toMatchObject({
      id: res.data.id,
      content: String(sent.id),
    });
    expect(msg(await aApp.nextMessage(PRIVATE, T.RECALL)).id).toBe(res.data.id);
    expect(await aWeb.settle((f) => f.cmd === PRIVATE && msg(f).type === T.RECALL, 200)).toHaveLength(0);
    const stored = await rows(t, alice.id, bob.id);
    expect(stored.find((r) => r.id === sent.id)!.status).toBe(S.RECALL);

    const twice = await alice.api.delete(`/message/private/recall/${sent.id}`);
    expect(twice).toMatchObject({ code: 500, message: '消息已被撤回' });
    const ghost = await alice.api.delete('/message/private/recall/99999999');
    expect(ghost).toMatchObject({ code: 500, message: '消息不存在' });
    const tip = stored.find((r) => r.type === T.TIP_TEXT)!;
    expect((await alice.api.delete(`/message/private/recall/${tip.id}`)).message).toBe('该消息不能撤回');

    const old = (await alice.api.post('/message/private/send', text(bob.id, 'old'))).data as Msg;
    t.clock.advance(6 * 60 * 1000);
    const late = await alice.api.delete(`/message/private/recall/${old.id}`);
    expect(late).toMatchObject({ code: 500, message: '消息已发送超过5分钟，无法撤回' });
    expect((await rows(t, alice.id, bob.id)).filter((r) => r.type === T.RECALL)).toHaveLength(1);
    for (const s of [aWeb, aApp, bWeb]) s.close();
  });

  it('loads offline messages after minId, both directions, 30 days, ascending, and marks them delivered', async () => {
    const [aliceThen, bobThen] = await friends(t);
    const ancient = (
      (await aliceThen.api.post('/message/private/send', text(bobThen.id, 'ancient'))).data as Msg
    ).id;
    t.clock.advance(31 * 24 * 3600 * 1000);
    // A month later: the old sessions have expired, both log in again.
    const [alice, bob] = await Promise.all([aliceThen.onTerminal(0), bobThen.onTerminal(0)]);
    const ids: number[] = [];
    for (const [from, to, c] of [
      [alice, bob, 'a1'],
      [bob, alice, 'b1'],
      [alice, bob, 'a2'],
      [bob, alice, 'b2'],
    ] as const) {
      ids.push(((await from.api.post('/message/private/send', text(to.id, c))).data as Msg).id);
    }
    const all = await bob.api.get('/message/private/loadOfflineMessage?minId=0');
    expect(all.code).toBe(200);
    const texts = (all.data as Msg[]).filter((m) => m.type === T.TEXT);
    expect(texts.map((m) => m.content)).toEqual(['a1', 'b1', 'a2', 'b2']);
    const allIds = (all.data as Msg[]).map((m) => m.id);
    expect(allIds).toEqual([...allIds].sort((a, b) => a - b));
    expect(texts[0]!.status).toBe(S.PENDING); // statuses as they were before this pull

    const after = await bob.api.get(`/message/private/loadOfflineMessage?minId=${ids[1]}`);
    expect((after.data as Msg[]).map((m) => m.content)).toEqual(['a2', 'b2']);

    const stored = await rows(t, alice.id, bob.id);
    expect(
      // Everything after the month-old messages (the friend tip and 'ancient' are out of the window).
      stored.filter((r) => r.recv_id === bob.id && r.id > ancient).every((r) => r.status === S.DELIVERED),
    ).toBe(true);
    expect(stored.find((r) => r.id === ids[1])!.status).toBe(S.PENDING); // alice has not pulled yet
    const bad = await bob.api.get('/message/private/loadOfflineMessage');
    expect(bad.code).toBe(500);
    expect(bad.message).toContain('minId');
  });

  it('readed: rows become READED (undelivered ones too), READED to my other terminals, RECEIPT to the friend', async () => {
    const [alice, bob] = await friends(t);
    const bobApp = await bob.onTerminal(1);
    // Bob is offline: these stay PENDING.
    const m1 = (await alice.api.post('/message/private/send', text(bob.id, 'one'))).data as Msg;
    const m2 = (await alice.api.post('/message/private/send', text(bob.id, 'two'))).data as Msg;
    expect((await alice.api.get(`/message/private/maxReadedId?friendId=${bob.id}`)).data).toBe(-1);

    const [aWeb, bWeb, bApp] = await Promise.all([alice.socket(), bob.socket(), bobApp.socket()]);
    const res = await bobApp.api.put(`/message/private/readed?friendId=${alice.id}`);
    expect(res).toMatchObject({ code: 200, data: null });
    expect(msg(await bWeb.nextMessage(PRIVATE, T.READED))).toMatchObject({
      sendId: bob.id,
      recvId: alice.id,
    });
    expect(await bApp.settle((f) => msg(f)?.type === T.READED, 200)).toHaveLength(0);
    expect(msg(await aWeb.nextMessage(PRIVATE, T.RECEIPT))).toMatchObject({
      sendId: bob.id,
      recvId: alice.id,
    });

    const stored = await rows(t, alice.id, bob.id);
    expect(stored.filter((r) => r.id === m1.id || r.id === m2.id).map((r) => r.status)).toEqual([
      S.READED,
      S.READED,
    ]);
    expect((await alice.api.get(`/message/private/maxReadedId?friendId=${bob.id}`)).data).toBe(m2.id);
    expect((await bob.api.get(`/message/private/maxReadedId?friendId=${alice.id}`)).data).toBe(-1);
    for (const s of [aWeb, bWeb, bApp]) s.close();
  });

  it('readed by a stranger (no friendship, no conversation) is refused and pushes nothing', async () => {
    const alice = await t.newUser('alice');
    const mallory = await t.newUser('mallory');
    const [aWeb, mWeb] = await Promise.all([alice.socket(), mallory.socket()]);
    const res = await mallory.api.put(`/message/private/readed?friendId=${alice.id}`);
    expect(res).toMatchObject({
      code: 500,
      message: '对方不是您的好友，也未给您发过消息，无法标记已读',
      data: null,
    });
    expect(res.headers.get('x-error-key')).toBe('READ_NOT_FRIEND');
    expect(await aWeb.settle(() => true, 400)).toHaveLength(0);
    expect(await mWeb.settle((f) => f.cmd === PRIVATE, 50)).toHaveLength(0);

    // A former friend may still mark the old conversation read (box-im's client keeps the chat).
    const [bob, carol] = await friends(t);
    await bob.api.post('/message/private/send', text(carol.id, 'before'));
    await carol.api.delete(`/friend/delete/${bob.id}`);
    const cWeb = await bob.socket();
    expect((await carol.api.put(`/message/private/readed?friendId=${bob.id}`)).code).toBe(200);
    expect(msg(await cWeb.nextMessage(PRIVATE, T.RECEIPT))).toMatchObject({ sendId: carol.id });
    for (const s of [aWeb, mWeb, cWeb]) s.close();
  });

  it('history: newest first, paged, size capped, recalled originals hidden, strangers refused', async () => {
    const [alice, bob] = await friends(t);
    const carol = await t.newUser('carol');
    const sent: number[] = [];
    for (let i = 0; i < 12; i++)
      sent.push(((await alice.api.post('/message/private/send', text(bob.id, `h${i}`))).data as Msg).id);
    await alice.api.delete(`/message/private/recall/${sent[11]}`);

    const p1 = await bob.api.get(`/message/private/history?friendId=${alice.id}&page=1&size=5`);
    expect(p1.data).toHaveLength(5);
    expect(p1.data[0].type).toBe(T.RECALL);
    expect((p1.data as Msg[]).slice(1).map((m) => m.content)).toEqual(['h10', 'h9', 'h8', 'h7']);
    const p3 = await bob.api.get(`/message/private/history?friendId=${alice.id}&page=3&size=5`);
    expect((p3.data as Msg[]).map((m) => m.content)).toEqual([
      'h1',
      'h0',
      '你们已成为好友，现在可以开始聊天了',
    ]);
    const zero = await bob.api.get(`/message/private/history?friendId=${alice.id}&page=0&size=0`);
    expect(zero.data).toHaveLength(10);
    for (let i = 0; i < 110; i++) await alice.api.post('/message/private/send', text(bob.id, `m${i}`));
    const huge = await bob.api.get(`/message/private/history?friendId=${alice.id}&page=1&size=100000`);
    expect(huge.data).toHaveLength(100);
    const stranger = await carol.api.get(`/message/private/history?friendId=${alice.id}&page=1&size=10`);
    expect(stranger).toMatchObject({ code: 500, message: '对方不是您的好友，无法查看聊天记录' });
    const missing = await bob.api.get(`/message/private/history?friendId=${alice.id}`);
    expect(missing.code).toBe(500);
    expect(missing.message).toContain('page');
  });

  it('keeps per-conversation order by id and loses nothing with 20 parallel sends', async () => {
    const [alice, bob] = await friends(t);
    const aliceApp = await alice.onTerminal(1);
    const [bWeb, aApp] = await Promise.all([bob.socket(), aliceApp.socket()]);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 4 === 3 ? bob : alice).api.post(
          '/message/private/send',
          text(i % 4 === 3 ? alice.id : bob.id, `p${i}`, `par-${i}`),
        ),
      ),
    );
    expect(results.every((r) => r.code === 200)).toBe(true);
    const fromAlice = results
      .map((r) => r.data as Msg)
      .filter((m) => m.sendId === alice.id)
      .map((m) => m.id);
    const pushed = await collect(bWeb, fromAlice.length);
    expect(pushed.map((m) => m.id)).toEqual([...fromAlice].sort((a, b) => a - b));
    const echoed = await collect(aApp, 20); // alice's app sees her 15 sends and bob's 5, in id order
    expect(echoed.map((m) => m.id)).toEqual(results.map((r) => (r.data as Msg).id).sort((a, b) => a - b));
    const stored = (await rows(t, alice.id, bob.id)).filter((r) => r.type === T.TEXT);
    expect(stored.map((r) => r.content).sort()).toEqual(results.map((r) => (r.data as Msg).content).sort());
    bWeb.close();
    aApp.close();
  });
});
