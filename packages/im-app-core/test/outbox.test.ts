import { describe, expect, it } from 'vitest';
import { MessageType } from '@box-im/im-common';
import {
  ApiError,
  autoRetryable,
  ClientStatus as S,
  NetworkError,
  type GroupSend,
  type PrivateSend,
} from '../src';
import { deferred, settle } from './fakes';
import { makeBook, makeOutbox, ME, msg } from './helpers';

function setup(answer: (m: PrivateSend | GroupSend) => Promise<unknown>) {
  const { book, clock } = makeBook();
  const sent: Array<PrivateSend | GroupSend> = [];
  const reply = (m: PrivateSend | GroupSend) => {
    sent.push(m);
    return answer(m);
  };
  const api = {
    sendPrivate: reply as never,
    sendGroup: reply as never,
  };
  const outbox = makeOutbox(api, book, clock);
  return { book, clock, outbox, sent };
}

let nextId = 100;
const ok = (m: PrivateSend | GroupSend) =>
  Promise.resolve({
    ...m,
    id: nextId++,
    sendId: ME,
    status: S.PENDING,
    sendTime: 5,
    content: m.content.toUpperCase(),
  });

describe('Outbox', () => {
  it('shows the message at once as SENDING, then takes the server id, status and content', async () => {
    const gate = deferred<void>();
    const { book, outbox, sent } = setup(async (m) => {
      await gate.promise;
      return ok(m);
    });
    const c = book.open('PRIVATE', 2, { showName: 'b', headImage: '' });
    const done = outbox.send(c, MessageType.TEXT, 'hello');
    expect(c.messages).toHaveLength(1);
    expect(c.messages[0]).toMatchObject({ status: S.SENDING, selfSend: true, recvId: 2, sendNickName: 'Me' });
    expect(c.lastContent).toBe('hello');
    gate.resolve();
    await done;
    expect(sent[0]).toMatchObject({ recvId: 2, content: 'hello', type: 0, tmpId: c.messages[0]!.tmpId });
    expect(c.messages[0]).toMatchObject({ status: S.PENDING, content: 'HELLO', netFail: false });
    expect(c.messages[0]!.id).toBeGreaterThanOrEqual(100);
    expect(c.unreadCount).toBe(0);
  });

  it('keeps the order the user wrote in, uploads included', async () => {
    const upload = deferred<string>();
    const { book, outbox, sent } = setup(ok);
    const c = book.open('GROUP', 9, { showName: 'g', headImage: '' });
    const a = outbox.sendUpload(
      c,
      MessageType.IMAGE,
      '{"originUrl":"blob:1"}',
      'blob:1',
      () => upload.promise,
    );
    const b = outbox.send(c, MessageType.TEXT, 'after the picture', { atUserIds: [3], receipt: true });
    await settle();
    expect(sent).toHaveLength(0);
    expect(c.messages[0]!.localUrl).toBe('blob:1');
    upload.resolve('{"originUrl":"/f/1.png"}');
    await Promise.all([a, b]);
    expect(sent.map((m) => m.content)).toEqual(['{"originUrl":"/f/1.png"}', 'after the picture']);
    expect(sent[1]).toMatchObject({ groupId: 9, receipt: true, atUserIds: [3] });
    expect(c.messages.map((m) => m.status)).toEqual([S.PENDING, S.PENDING]);
  });

  it('a refusal is FAILED for the user to retry; a network failure is re-sent after reconnecting', async () => {
    let mode: 'refuse' | 'offline' | 'ok' = 'refuse';
    const { book, outbox, clock } = setup((m) => {
      if (mode === 'refuse') return Promise.reject(new ApiError(500, 'too long'));
      if (mode === 'offline') return Promise.reject(new NetworkError(new Error('offline')));
      return ok(m);
    });
    const c = book.open('PRIVATE', 2, { showName: 'b', headImage: '' });
    await outbox.send(c, MessageType.TEXT, 'refused');
    mode = 'offline';
    await outbox.send(c, MessageType.TEXT, 'lost');
    expect(c.messages.map((m) => [m.content, m.status, m.netFail, m.failReason])).toEqual([
      ['refused', S.FAILED, false, 'too long'],
      ['lost', S.FAILED, true, undefined],
    ]);
    mode = 'ok';
    clock.advance(60_000);
    outbox.retryNetworkFailures();
    await settle();
    expect(c.messages.map((m) => m.content)).toEqual(['LOST', 'refused']);
    await outbox.retry(c, c.messages[1]!);
    expect(c.messages.every((m) => m.status === S.PENDING)).toBe(true);
    // the reason of a refusal goes once the message is sent
    expect(c.messages.map((m) => m.failReason)).toEqual([undefined, undefined]);
  });

  it('a failed upload is FAILED and cannot be re-sent (its file is only local)', async () => {
    const { book, outbox, sent } = setup(ok);
    const c = book.open('PRIVATE', 2, { showName: 'b', headImage: '' });
    await outbox.sendUpload(c, MessageType.IMAGE, '{"originUrl":"blob:1"}', 'blob:1', () =>
      Promise.reject(new Error('too big')),
    );
    expect(c.messages[0]!.status).toBe(S.FAILED);
    await outbox.retry(c, c.messages[0]!);
    expect(sent).toHaveLength(0);
  });
});

describe('autoRetryable', () => {
  it('picks recent network failures whose content is ready', () => {
    const now = 1_000_000;
    const list = [
      msg({ tmpId: 'a', status: S.FAILED, netFail: true, sendTime: now - 1000 }),
      msg({ tmpId: 'b', status: S.FAILED, netFail: false, sendTime: now - 1000 }),
      msg({ tmpId: 'c', status: S.FAILED, netFail: true, sendTime: now - 11 * 60_000 }),
      msg({ id: 4, status: S.PENDING, netFail: true, sendTime: now }),
      msg({
        tmpId: 'e',
        status: S.FAILED,
        netFail: true,
        type: MessageType.IMAGE,
        content: '{"originUrl":"blob:http://x/1"}',
        sendTime: now,
      }),
      msg({
        tmpId: 'f',
        status: S.FAILED,
        netFail: true,
        type: MessageType.IMAGE,
        content: '{"originUrl":"/f/1.png"}',
        sendTime: now,
      }),
      msg({
        tmpId: 'g',
        status: S.FAILED,
        netFail: true,
        type: MessageType.FILE,
        content: '{"url":"wxfile://tmp_1"}',
        sendTime: now,
      }),
    ];
    expect(autoRetryable(list, now).map((m) => m.tmpId)).toEqual(['a', 'f']);
  });
});
