import { describe, expect, it } from 'vitest';
import {
  ClientStatus as S,
  combine,
  FrameBuffer,
  maxId,
  mergeMessages,
  TmpIds,
  upgradeStatus,
  type ChatMessage,
} from '../src';
import { FakeClock } from './fakes';

const msg = (p: Partial<ChatMessage>): ChatMessage => ({
  sendId: 1,
  content: 'x',
  type: 0,
  status: S.PENDING,
  sendTime: 1000,
  selfSend: false,
  ...p,
});
const ids = (l: ChatMessage[]) => l.map((m) => m.id ?? m.tmpId);

describe('upgradeStatus', () => {
  it('never downgrades READED to DELIVERED or PENDING', () => {
    expect(upgradeStatus(S.READED, S.DELIVERED)).toBe(S.READED);
    expect(upgradeStatus(S.READED, S.PENDING)).toBe(S.READED);
    expect(upgradeStatus(S.DELIVERED, S.READED)).toBe(S.READED);
  });
  it('RECALL is final', () => {
    expect(upgradeStatus(S.RECALL, S.READED)).toBe(S.RECALL);
    expect(upgradeStatus(S.READED, S.RECALL)).toBe(S.RECALL);
  });
  it('a server status beats SENDING / FAILED', () => {
    expect(upgradeStatus(S.SENDING, S.PENDING)).toBe(S.PENDING);
    expect(upgradeStatus(S.FAILED, S.DELIVERED)).toBe(S.DELIVERED);
  });
});

describe('mergeMessages', () => {
  it('dedupes by id and keeps ascending id order', () => {
    const a = [msg({ id: 1 }), msg({ id: 3 })];
    const out = mergeMessages(a, [msg({ id: 2 }), msg({ id: 3 }), msg({ id: 5 }), msg({ id: 4 })]);
    expect(ids(out)).toEqual([1, 2, 3, 4, 5]);
  });

  it('returns the same array when nothing changes', () => {
    const a = [msg({ id: 1 }), msg({ id: 2 })];
    expect(mergeMessages(a, [msg({ id: 2 })])).toBe(a);
    expect(mergeMessages(a, [])).toBe(a);
  });

  it('matches an optimistic send by tmpId and adopts the server id and content', () => {
    const sending = msg({ tmpId: '100', status: S.SENDING, selfSend: true, content: 'hello fuck' });
    const out = mergeMessages(
      [msg({ id: 1 }), sending],
      [msg({ id: 7, tmpId: '100', status: S.PENDING, selfSend: true, content: 'hello ****' })],
    );
    expect(out).toHaveLength(2);
    expect(out[1]).toMatchObject({ id: 7, tmpId: '100', status: S.PENDING, content: 'hello ****' });
  });

  it('an echo from my other terminal merges with the optimistic copy and drops the local preview', () => {
    const local = msg({ tmpId: '9', status: S.SENDING, selfSend: true, localUrl: 'blob:x', sendTime: 5 });
    const out = mergeMessages([local], [msg({ id: 3, tmpId: '9', selfSend: true, sendTime: 6 })]);
    expect(out).toHaveLength(1);
    expect(out[0]!.localUrl).toBeUndefined();
    expect(out[0]!.sendTime).toBe(6);
  });

  it('puts unsent messages after sent ones, in tmpId order', () => {
    const out = mergeMessages(
      [],
      [msg({ tmpId: '200', status: S.SENDING }), msg({ id: 9 }), msg({ tmpId: '100', status: S.FAILED })],
    );
    expect(ids(out)).toEqual([9, '100', '200']);
  });

  it('offline pull + buffered live frames + optimistic sends: no duplicates, ordered, no downgrade', () => {
    const cache = [
      msg({ id: 1 }),
      msg({ id: 2, status: S.READED, selfSend: true }),
      msg({ id: 3 }),
      msg({ tmpId: '500', status: S.SENDING, selfSend: true }),
    ];
    const pulled = [
      msg({ id: 2, status: S.DELIVERED, selfSend: true }),
      msg({ id: 4 }),
      msg({ id: 6, tmpId: '500', status: S.PENDING, selfSend: true }),
    ];
    const live = [msg({ id: 4 }), msg({ id: 7 }), msg({ id: 5 })];
    let out = mergeMessages(cache, pulled);
    out = mergeMessages(out, live);
    expect(ids(out)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(out.find((m) => m.id === 2)!.status).toBe(S.READED);
    expect(out.find((m) => m.id === 6)!.tmpId).toBe('500');
    expect(new Set(ids(out)).size).toBe(out.length);
  });

  it('keeps the highest group read count and receiptOk once set', () => {
    const a = msg({ id: 1, receipt: true, readedCount: 3 });
    const b = combine(a, msg({ id: 1, receipt: true, readedCount: 2, receiptOk: true }));
    expect(b.readedCount).toBe(3);
    expect(b.receiptOk).toBe(true);
  });

  it('is fast enough for 10,000 messages', () => {
    const base = Array.from({ length: 10_000 }, (_, i) => msg({ id: i + 1 }));
    const t0 = performance.now();
    let out = base;
    for (let i = 0; i < 100; i++) out = mergeMessages(out, [msg({ id: 10_001 + i })]);
    expect(out).toHaveLength(10_100);
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});

describe('helpers', () => {
  it('maxId skips unsent tail messages', () => {
    expect(maxId([msg({ id: 4 }), msg({ tmpId: '1' })])).toBe(4);
    expect(maxId([])).toBe(0);
  });
  it('temp ids are strictly increasing even within the same millisecond or a clock step back', () => {
    const ids = new TmpIds(new FakeClock(), () => 0.5);
    const a = ids.next(1000);
    const b = ids.next(1000);
    const c = ids.next(999);
    expect(a).toBe('1000500');
    expect(BigInt(b) > BigInt(a)).toBe(true);
    expect(BigInt(c) > BigInt(b)).toBe(true);
  });
});

describe('FrameBuffer', () => {
  it('passes frames through until told to hold, then hands them back in order', () => {
    const b = new FrameBuffer<number>();
    expect(b.offer(1)).toBe(false);
    b.hold();
    b.hold();
    expect(b.offer(2)).toBe(true);
    expect(b.offer(3)).toBe(true);
    expect(b.holding).toBe(true);
    expect(b.release()).toEqual([2, 3]);
    expect(b.holding).toBe(false);
    expect(b.release()).toEqual([]);
  });
});
