/**
 * Replies (issue 15): a message sent with `quoteMessageId` carries `quoteMessage` in the
 * answer, the pushes, the offline pull and the history; a recall of the original turns
 * every quote of it into a recalled one; nobody quotes a message of a conversation they are
 * not in. Private and group, on every engine.
 */
import { expect, it } from 'vitest';
import type { TestUser } from '../../testing';
import {
  S,
  T,
  describeEngines,
  friends,
  gm,
  groupOfType,
  joinLater,
  makeGroup,
  msg,
  postTo,
  privateOfType,
  sayTo,
} from './support';

const isPrivateText = privateOfType(T.TEXT);
const isPrivateRecall = privateOfType(T.RECALL);
const isGroupText = groupOfType(T.TEXT);

describeEngines('replies', (server) => {
  it('private: the reply carries the quote everywhere; a recall of the original shows in history', async () => {
    const t = server();
    const [alice, bob] = await friends(t);
    const original = await sayTo(alice, bob, '你好');
    expect(original.code).toBe(200);
    const bobWs = await bob.socket();
    const aliceWs = await alice.socket();
    const reply = await sayTo(alice, bob, '回复', { quoteMessageId: original.data.id });
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
    const back = await sayTo(bob, alice, 'ok', { quoteMessageId: reply.data.id });
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
    const late = await sayTo(alice, bob, 'x', { quoteMessageId: original.data.id });
    expect(late.headers.get('x-error-key')).toBe('QUOTE_RECALLED');
    bobWs.close();
    aliceWs.close();
  });

  it('private: a message of another conversation cannot be quoted', async () => {
    const t = server();
    const [alice, bob] = await friends(t);
    const [carol, dave] = await friends(t, 'carol', 'dave');
    await t.befriend(alice, carol);
    const theirs = await sayTo(carol, dave, 'secret');
    for (const [who, to] of [
      [alice, bob],
      [alice, carol],
    ] as [TestUser, TestUser][]) {
      const res = await sayTo(who, to, 'leak?', { quoteMessageId: theirs.data.id });
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
    const t = server();
    const owner = await t.newUser('own');
    const bob = await t.newUser('bob');
    const outsider = await t.newUser('out');
    const g = await makeGroup(t, owner, [bob]);
    const other = await makeGroup(t, outsider, []);
    const original = await postTo(owner, g.id, '开会');
    const bobWs = await bob.socket();
    const reply = await postTo(bob, g.id, '收到', { quoteMessageId: original.data.id });
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
    const third = await postTo(bob, g.id, '再回', { quoteMessageId: original.data.id });
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
    const kept = await postTo(owner, g.id, 'inside');
    const leak = await postTo(outsider, other.id, 'x', { quoteMessageId: kept.data.id });
    expect(leak.headers.get('x-error-key')).toBe('QUOTE_NOT_FOUND');
    const stranger = await postTo(outsider, g.id, 'x', { quoteMessageId: kept.data.id });
    expect(stranger.headers.get('x-error-key')).toBe('SEND_NOT_MEMBER');
    // a member who joins later cannot quote what was said before they joined
    const late = await t.newUser('late');
    await joinLater(t, owner, g.id, late);
    const before = await postTo(late, g.id, 'x', { quoteMessageId: kept.data.id });
    expect(before.headers.get('x-error-key')).toBe('QUOTE_NOT_FOUND');
    bobWs.close();
    ownerWs.close();
  });
});
