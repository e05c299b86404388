/**
 * Pinned chats and drafts (issue 15): `PUT /chat/pref` stores a user's pin and draft of a
 * chat they have, `GET /chat/prefs` lists their own, and each change reaches the user's other
 * terminals as a CHAT_PREF frame (type 62, skipped by box-im's clients), not the one that made
 * it and nobody else. On every engine.
 */
import { Limits, MessageType } from '@box-im/im-common';
import { expect, it } from 'vitest';
import { describeEngines, friends, makeGroup, msg, privateOfType } from './support';

const isPref = privateOfType(MessageType.CHAT_PREF);

describeEngines('chat prefs', (server) => {
  it('pin and draft are stored per user and pushed to the other terminals only', async () => {
    const t = server();
    const [alice, bob] = await friends(t);
    const group = await makeGroup(t, alice, []);
    const aliceWebWs = await alice.socket();
    const aliceApp = await alice.onTerminal(1);
    const aliceAppWs = await aliceApp.socket();
    const bobWs = await bob.socket();

    const pin = await alice.api.put('/chat/pref', { chatType: 'PRIVATE', chatId: bob.id, pinned: true });
    expect(pin).toMatchObject({
      code: 200,
      data: { chatType: 'PRIVATE', chatId: bob.id, pinned: true, draft: '' },
    });
    const pushed = msg(await aliceAppWs.next(isPref));
    expect(JSON.parse(pushed.content)).toEqual(pin.data);

    // a draft keeps the pin; the app terminal writes it, the web terminal hears of it
    const draft = await aliceApp.api.put('/chat/pref', {
      chatType: 'GROUP',
      chatId: group.id,
      draft: '草稿内容',
    });
    expect(draft.data).toMatchObject({ chatType: 'GROUP', pinned: false, draft: '草稿内容' });
    expect(JSON.parse(msg(await aliceWebWs.next(isPref)).content)).toMatchObject({ draft: '草稿内容' });
    const again = await alice.api.put('/chat/pref', { chatType: 'PRIVATE', chatId: bob.id, draft: 'x' });
    expect(again.data).toMatchObject({ pinned: true, draft: 'x' });

    const list = await aliceApp.api.get('/chat/prefs');
    expect(list.code).toBe(200);
    expect(list.data).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ chatType: 'PRIVATE', chatId: bob.id, pinned: true, draft: 'x' }),
        expect.objectContaining({ chatType: 'GROUP', chatId: group.id, pinned: false, draft: '草稿内容' }),
      ]),
    );
    expect(list.data).toHaveLength(2);
    // only one's own: bob has none, and heard nothing
    expect((await bob.api.get('/chat/prefs')).data).toEqual([]);
    expect(await bobWs.settle(isPref)).toEqual([]);
    // the terminal that made a change gets no copy
    expect(await aliceWebWs.settle(isPref)).toEqual([]);
    expect(await aliceAppWs.settle(isPref)).toHaveLength(1); // the web terminal's second change

    // unpinned with no draft: the row is gone
    await alice.api.put('/chat/pref', { chatType: 'PRIVATE', chatId: bob.id, pinned: false, draft: '' });
    const after = await alice.api.get('/chat/prefs');
    expect(after.data).toHaveLength(1);
    const rows = await t.running.ctx.db.db
      .selectFrom('im_chat_pref')
      .selectAll()
      .where('user_id', '=', alice.id)
      .execute();
    expect(rows).toHaveLength(1);
    for (const s of [aliceWebWs, aliceAppWs, bobWs]) s.close();
  });

  it('refuses chats the user does not have, bad types and over-long drafts', async () => {
    const t = server();
    const alice = await t.newUser('alice');
    const stranger = await t.newUser('stranger');
    const group = await makeGroup(t, stranger, []);
    const notFriend = await alice.api.put('/chat/pref', {
      chatType: 'PRIVATE',
      chatId: stranger.id,
      pinned: true,
    });
    expect(notFriend.headers.get('x-error-key')).toBe('CHAT_PREF_NO_CHAT');
    expect(notFriend.message).toContain(String(stranger.id));
    const notMember = await alice.api.put('/chat/pref', {
      chatType: 'GROUP',
      chatId: group.id,
      pinned: true,
    });
    expect(notMember.headers.get('x-error-key')).toBe('CHAT_PREF_NO_CHAT');
    const self = await alice.api.put('/chat/pref', { chatType: 'PRIVATE', chatId: alice.id, pinned: true });
    expect(self.headers.get('x-error-key')).toBe('CHAT_PREF_NO_CHAT');
    const badType = await alice.api.put('/chat/pref', { chatType: 'CHANNEL', chatId: 1, pinned: true });
    expect(badType.code).not.toBe(200);
    expect(badType.message).toContain('chatType');
    const [a2, b2] = await friends(t, 'a2', 'b2');
    const long = await a2.api.put('/chat/pref', {
      chatType: 'PRIVATE',
      chatId: b2.id,
      draft: 'x'.repeat(Limits.MESSAGE_CONTENT_MAX + 1),
    });
    expect(long.code).not.toBe(200);
    expect(long.message).toContain('draft');
  });
});
