/**
 * Replies (issue 15): a message sent with `quoteMessageId` carries `quoteMessage` in the
 * answer, the pushes, the offline pull and the history; a recall of the original turns
 * every quote of it into a recalled one; nobody quotes a message of a conversation they are
 * not in. Private and group, on every engine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestServer, type TestServer, type TestUser } from '../../testing';
import { PRIVATE, S, T, friends, msg } from '../private/support';
import { GROUP, gm, makeGroup } from '../group/support';

const isPrivateText = (f: { cmd: number; data: unknown }) => f.cmd === PRIVATE && msg(f).type === T.TEXT;
const isPrivateRecall = (f: { cmd: number; data: unknown }) => f.cmd === PRIVATE && msg(f).type === T.RECALL;
const isGroupText = (f: { cmd: number; data: unknown }) => f.cmd === GROUP && gm(f).type === T.TEXT;

describe.each(ENGINES)('replies (%s)', (engine) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ engine });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('private: the reply carries the quote everywhere; a recall of the original shows in history', async () => {
    const [alice, bob] = await friends(t);
    const original = await alice.api.post('/message/private/send', {
      recvId: bob.id,
      content: '你好',
      type: 0,
    });
    expect(original.code).toBe(200);
    const bobWs = await bob.socket();
    const aliceWs = await alice.socket();
    const reply = await alice.api.post('/message/private/send', {
      recvId: bob.id,
      content: '回复',
      type: 0,
      quoteMessageId: original.data.id,
    });
    expect(reply.code).toBe(200);
    const quote = {
      id: original.data.id,
      sendId: alice.id,
      sendNickName: alice.nickName,
      type: 0,
      content: '你好',
      status: expect.any(Number),
    };
    expect(reply.data.quoteMessage).toEqual(quote);
    const pushed = msg(await bobWs.next(isPrivateText));
    expect(pushed).toMatchObject({
      id: reply.data.id,
      quoteMessage: { id: original.data.id, content: '你好' },
    });

    // bob replies to the reply: quoting the peer's message works too
    const back = await bob.api.post('/message/private/send', {
      recvId: alice.id,
      content: 'ok',
      type: 0,
      quoteMessageId: reply.data.id,
    });
    expect(back.data.quoteMessage).toMatchObject({ id: reply.data.id, sendId: alice.id, content: '回复' });

    // the recall reaches bob as usual; history and the offline pull show the quote recalled
    const recall = await alice.api.delete(`/message/private/recall/${original.data.id}`);
    expect(recall.code).toBe(200);
    expect(msg(await bobWs.next(isPrivateRecall)).content).toBe(String(original.data.id));
    const history = await bob.api.get(`/message/private/history?friendId=${alice.id}&page=1&size=10`);
    const stored = (history.data as { id: number; quoteMessage?: unknown }[]).find(
      (m) => m.id === reply.data.id,
    );
    expect(stored?.quoteMessage).toEqual({ ...quote, content: '', status: S.RECALL });
    const offline = await bob.api.get('/message/private/loadOfflineMessage?minId=0');
    const pulled = (offline.data as { id: number; quoteMessage?: unknown }[]).find(
      (m) => m.id === reply.data.id,
    );
    expect(pulled?.quoteMessage).toEqual({ ...quote, content: '', status: S.RECALL });
    // messages that quote nothing carry no quoteMessage (box-im's wire unchanged)
    expect(
      (offline.data as object[]).find((m) => (m as { id: number }).id === original.data.id),
    ).not.toHaveProperty('quoteMessage');

    // a recalled message cannot be quoted any more
    const late = await alice.api.post('/message/private/send', {
      recvId: bob.id,
      content: 'x',
      type: 0,
      quoteMessageId: original.data.id,
    });
    expect(late.headers.get('x-error-key')).toBe('QUOTE_RECALLED');
    bobWs.close();
    aliceWs.close();
  });

  it('private: a message of another conversation cannot be quoted', async () => {
    const [alice, bob] = await friends(t);
    const [carol, dave] = await friends(t, 'carol', 'dave');
    await t.befriend(alice, carol);
    const theirs = await carol.api.post('/message/private/send', {
      recvId: dave.id,
      content: 'secret',
      type: 0,
    });
    for (const [who, to] of [
      [alice, bob],
      [alice, carol],
    ] as [TestUser, TestUser][]) {
      const res = await who.api.post('/message/private/send', {
        recvId: to.id,
        content: 'leak?',
        type: 0,
        quoteMessageId: theirs.data.id,
      });
      expect(res.code).toBe(500);
      expect(res.headers.get('x-error-key')).toBe('QUOTE_NOT_FOUND');
      expect(res.message).toBe('引用的消息不存在或不在本会话中');
    }
    const en = await alice.api
      .as(alice.api.accessToken, 'en')
      .post('/message/private/send', { recvId: bob.id, content: 'x', type: 0, quoteMessageId: 999999999 });
    expect(en.message).toBe('The quoted message does not exist or is not part of this conversation');
  });

  it('group: members see the quote live and in history; recall turns it recalled; outsiders cannot quote', async () => {
    const owner = await t.newUser('own');
    const bob = await t.newUser('bob');
    const outsider = await t.newUser('out');
    const g = await makeGroup(t, owner, [bob]);
    const other = await makeGroup(t, outsider, []);
    const original = await owner.api.post('/message/group/send', { groupId: g.id, content: '开会', type: 0 });
    const bobWs = await bob.socket();
    const reply = await bob.api.post('/message/group/send', {
      groupId: g.id,
      content: '收到',
      type: 0,
      quoteMessageId: original.data.id,
    });
    expect(reply.code).toBe(200);
    const quote = {
      id: original.data.id,
      sendId: owner.id,
      sendNickName: original.data.sendNickName,
      type: 0,
      content: '开会',
      status: 0,
    };
    expect(reply.data.quoteMessage).toEqual(quote);
    const ownerWs = await owner.socket();
    const third = await bob.api.post('/message/group/send', {
      groupId: g.id,
      content: '再回',
      type: 0,
      quoteMessageId: original.data.id,
    });
    expect(gm(await ownerWs.next(isGroupText))).toMatchObject({ quoteMessage: { id: original.data.id } });
    expect(third.code).toBe(200);

    await owner.api.delete(`/message/group/recall/${original.data.id}`);
    const history = await bob.api.get(`/message/group/history?groupId=${g.id}&page=1&size=10`);
    const stored = (history.data as { id: number; quoteMessage?: unknown }[]).find(
      (m) => m.id === reply.data.id,
    );
    expect(stored?.quoteMessage).toEqual({ ...quote, content: '', status: S.RECALL });
    const offline = await bob.api.get('/message/group/loadOfflineMessage?minId=0');
    const pulled = (offline.data as { id: number; quoteMessage?: unknown }[]).find(
      (m) => m.id === reply.data.id,
    );
    expect(pulled?.quoteMessage).toMatchObject({ status: S.RECALL, content: '' });

    // an outsider quoting into their own group, and a member quoting another group's message
    const kept = await owner.api.post('/message/group/send', { groupId: g.id, content: 'inside', type: 0 });
    const leak = await outsider.api.post('/message/group/send', {
      groupId: other.id,
      content: 'x',
      type: 0,
      quoteMessageId: kept.data.id,
    });
    expect(leak.headers.get('x-error-key')).toBe('QUOTE_NOT_FOUND');
    const stranger = await outsider.api.post('/message/group/send', {
      groupId: g.id,
      content: 'x',
      type: 0,
      quoteMessageId: kept.data.id,
    });
    expect(stranger.headers.get('x-error-key')).toBe('SEND_NOT_MEMBER');
    // a member who joins later cannot quote what was said before they joined
    const late = await t.newUser('late');
    await t.befriend(owner, late);
    await owner.api.post('/group/invite', { groupId: g.id, friendIds: [late.id] });
    const before = await late.api.post('/message/group/send', {
      groupId: g.id,
      content: 'x',
      type: 0,
      quoteMessageId: kept.data.id,
    });
    expect(before.headers.get('x-error-key')).toBe('QUOTE_NOT_FOUND');
    bobWs.close();
    ownerWs.close();
  });
});
