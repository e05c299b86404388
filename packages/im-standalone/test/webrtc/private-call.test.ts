import { Cmd, MessageType } from '@box-im/im-common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, type TestSocket, type TestUser } from '../../testing';

const OFFER = { type: 'offer', sdp: 'v=0 offer' };
const ANSWER = { type: 'answer', sdp: 'v=0 answer' };

describe('private call signalling', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.close());

  async function pair(): Promise<[TestUser, TestUser, TestSocket, TestSocket]> {
    const a = await t.newUser('caller');
    const b = await t.newUser('callee');
    await t.befriend(a, b);
    return [a, b, await a.socket(), await b.socket()];
  }

  const rtc = (u: TestUser, action: string, query: string, body?: unknown) =>
    u.api.post(`/webrtc/private/${action}?${query}`, body);

  it('relays offer, answer and candidates, and records the duration on hang-up', async () => {
    const [a, b, wa, wb] = await pair();
    expect((await rtc(a, 'call', `uid=${b.id}&mode=video`, OFFER)).code).toBe(200);
    const ring = await wb.nextMessage(Cmd.PRIVATE_MESSAGE, MessageType.RTC_CALL_VIDEO);
    expect(ring.data).toMatchObject({ sendId: a.id, recvId: b.id });
    expect(JSON.parse((ring.data as { content: string }).content)).toEqual(OFFER);

    // Caller candidate before the answer reaches the callee (box-im dropped it).
    expect((await rtc(a, 'candidate', `uid=${b.id}`, { candidate: 'c1' })).code).toBe(200);
    expect((await wb.nextMessage(Cmd.PRIVATE_MESSAGE, MessageType.RTC_CANDIDATE)).data).toMatchObject({
      sendId: a.id,
    });

    expect((await rtc(b, 'accept', `uid=${a.id}`, ANSWER)).code).toBe(200);
    const accepted = await wa.nextMessage(Cmd.PRIVATE_MESSAGE, MessageType.RTC_ACCEPT);
    expect(JSON.parse((accepted.data as { content: string }).content)).toEqual(ANSWER);

    expect((await rtc(b, 'candidate', `uid=${a.id}`, { candidate: 'c2' })).code).toBe(200);
    await wa.nextMessage(Cmd.PRIVATE_MESSAGE, MessageType.RTC_CANDIDATE);
    expect((await rtc(a, 'heartbeat', `uid=${b.id}`)).code).toBe(200);

    expect((await rtc(a, 'handup', `uid=${b.id}`)).code).toBe(200);
    await wb.nextMessage(Cmd.PRIVATE_MESSAGE, MessageType.RTC_HANDUP);
    for (const ws of [wa, wb]) {
      const record = await ws.nextMessage(Cmd.PRIVATE_MESSAGE, MessageType.ACT_RT_VIDEO);
      expect(record.data).toMatchObject({ sendId: a.id, recvId: b.id, status: 3 });
      expect((record.data as { content: string }).content).toMatch(/^通话时长 00:0\d$/);
    }
    expect(await rtc(a, 'heartbeat', `uid=${b.id}`)).toMatchObject({ code: 500, message: '通话已结束' });
    wa.close();
    wb.close();
  });

  it('reports reject and cancel to the other side and records them', async () => {
    const [a, b, wa, wb] = await pair();
    await rtc(a, 'call', `uid=${b.id}&mode=voice`, OFFER);
    await wb.nextMessage(Cmd.PRIVATE_MESSAGE, MessageType.RTC_CALL_VOICE);
    expect((await rtc(b, 'reject', `uid=${a.id}`)).code).toBe(200);
    await wa.nextMessage(Cmd.PRIVATE_MESSAGE, MessageType.RTC_REJECT);
    expect(
      ((await wa.nextMessage(Cmd.PRIVATE_MESSAGE, MessageType.ACT_RT_VOICE)).data as { content: string })
        .content,
    ).toBe('已拒绝');

    await rtc(a, 'call', `uid=${b.id}&mode=voice`, OFFER);
    await wb.nextMessage(Cmd.PRIVATE_MESSAGE, MessageType.RTC_CALL_VOICE);
    expect((await rtc(a, 'cancel', `uid=${b.id}`)).code).toBe(200);
    await wb.nextMessage(Cmd.PRIVATE_MESSAGE, MessageType.RTC_CANCEL);
    const cancelled = await wb.next(
      (f) =>
        f.cmd === Cmd.PRIVATE_MESSAGE && (f.data as { type: number; content: string }).content === '已取消',
    );
    expect(cancelled.data).toMatchObject({ type: MessageType.ACT_RT_VOICE, sendId: a.id, recvId: b.id });

    await rtc(a, 'call', `uid=${b.id}`, OFFER);
    expect((await rtc(b, 'failed', `uid=${a.id}&reason=${encodeURIComponent('对方无应答')}`)).code).toBe(200);
    const failed = await wa.nextMessage(Cmd.PRIVATE_MESSAGE, MessageType.RTC_FAILED);
    expect((failed.data as { content: string }).content).toBe('对方无应答');
    wa.close();
    wb.close();
  });

  it('refuses calls to strangers, offline or busy friends, and answers to ended calls', async () => {
    const [a, b, wa, wb] = await pair();
    const stranger = await t.newUser('stranger');
    expect(await rtc(a, 'call', `uid=${stranger.id}`, OFFER)).toMatchObject({
      code: 500,
      message: '对方不是您的好友，无法通话',
    });

    const c = await t.newUser('offline');
    await t.befriend(a, c);
    expect(await rtc(a, 'call', `uid=${c.id}`, OFFER)).toMatchObject({
      code: 500,
      message: '对方目前不在线',
    });
    expect(
      ((await wa.nextMessage(Cmd.PRIVATE_MESSAGE, MessageType.ACT_RT_VIDEO)).data as { content: string })
        .content,
    ).toBe('未接通');

    const d = await t.newUser('third');
    await t.befriend(d, b);
    const wd = await d.socket();
    await rtc(a, 'call', `uid=${b.id}`, OFFER);
    expect(await rtc(d, 'call', `uid=${b.id}`, OFFER)).toMatchObject({ code: 500, message: '对方正忙' });
    expect(await rtc(d, 'accept', `uid=${a.id}`, ANSWER)).toMatchObject({ code: 500, message: '通话已结束' });
    expect((await rtc(a, 'cancel', `uid=${b.id}`)).code).toBe(200);
    expect(await rtc(b, 'accept', `uid=${a.id}`, ANSWER)).toMatchObject({ code: 500, message: '通话已结束' });
    for (const ws of [wa, wb, wd]) ws.close();
  });

  it('needs the caller to be connected', async () => {
    const a = await t.newUser('nows');
    const b = await t.newUser('peer');
    await t.befriend(a, b);
    const wb = await b.socket();
    expect(await rtc(a, 'call', `uid=${b.id}`, OFFER)).toMatchObject({
      code: 500,
      message: '您当前的网络连接已断开,请稍后重试',
    });
    wb.close();
  });
});
