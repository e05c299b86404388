/**
 * Typing indicator (issue 15): `POST /message/private/typing` pushes a TYPING frame (type 61,
 * skipped by box-im's clients) to the receiver's terminals only, never to the sender's other
 * terminals; at most one per sender and receiver in 3 s (extra calls answer OK silently);
 * nothing is stored; only to a friend. On every engine.
 */
import { Limits, MessageType } from '@box-im/im-common';
import { expect, it } from 'vitest';
import { describeEngines, friends, msg, privateOfType, rows } from './support';

const isTyping = privateOfType(MessageType.TYPING);

describeEngines('typing indicator', (server) => {
  it('reaches the receiver only, is throttled per 3 s and stores nothing', async () => {
    const t = server();
    const [alice, bob] = await friends(t);
    const stored = await rows(t, alice.id, bob.id); // the "now friends" tip
    const aliceApp = await alice.onTerminal(1);
    const bobWeb = await bob.socket();
    const bobApp = await (await bob.onTerminal(1)).socket();
    const aliceOther = await aliceApp.socket();

    const first = await alice.api.post(`/message/private/typing?recvId=${bob.id}`);
    expect(first).toMatchObject({ code: 200, data: null });
    for (const socket of [bobWeb, bobApp]) {
      expect(msg(await socket.next(isTyping))).toMatchObject({
        type: MessageType.TYPING,
        sendId: alice.id,
        recvId: bob.id,
        content: '',
      });
    }

    // within the interval: answered OK, nothing pushed
    const again = await alice.api.post(`/message/private/typing?recvId=${bob.id}`);
    expect(again.code).toBe(200);
    expect(await bobWeb.settle(isTyping)).toEqual([]);
    // the sender's other terminal never hears of it
    expect(aliceOther.frames.filter(isTyping)).toEqual([]);

    // once the interval has passed, the next signal goes out again
    t.clock.advance(Limits.TYPING_INTERVAL_MS + 1);
    expect((await alice.api.post(`/message/private/typing?recvId=${bob.id}`)).code).toBe(200);
    await bobWeb.next(isTyping);
    // the throttle is per direction: bob typing back is not held by alice's signal
    expect((await bob.api.post(`/message/private/typing?recvId=${alice.id}`)).code).toBe(200);
    expect(msg(await aliceOther.next(isTyping)).sendId).toBe(bob.id);

    expect(await rows(t, alice.id, bob.id)).toEqual(stored);
    for (const s of [bobWeb, bobApp, aliceOther]) s.close();
  });

  it('only to a friend; bad ids are refused with a message naming the field', async () => {
    const t = server();
    const alice = await t.newUser('alice');
    const stranger = await t.newUser('stranger');
    const strangerWs = await stranger.socket();
    const refused = await alice.api.post(`/message/private/typing?recvId=${stranger.id}`);
    expect(refused.headers.get('x-error-key')).toBe('SEND_NOT_FRIEND');
    expect(refused.message).toBeTruthy();
    const self = await alice.api.post(`/message/private/typing?recvId=${alice.id}`);
    expect(self.headers.get('x-error-key')).toBe('SEND_NOT_FRIEND');
    const bad = await alice.api.post('/message/private/typing?recvId=abc');
    expect(bad.code).not.toBe(200);
    expect(bad.message).toContain('recvId');
    expect(await strangerWs.settle(isTyping)).toEqual([]);
    strangerWs.close();
  });
});
