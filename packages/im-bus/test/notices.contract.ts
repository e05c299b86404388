import { describe, expect, it } from 'vitest';
import type { Bus, Subscription } from '@box-im/im-bus';
import { until } from '@box-im/im-process/testing';
import { noticeFixture } from './notice-fixture';

/**
 * The notice (publish / subscribe) part of the bus contract, run by `runBusContract` inside
 * its suite; `makeBus` and `peerOf` as there: a peer is another process's connection to the
 * same keys and channels. `ordered: false` for a Redis Cluster, where each PUBLISH may enter
 * through another node and notices of one publisher can overtake each other.
 */
export function noticeContract(
  makeBus: () => Promise<Bus>,
  peerOf: (bus: Bus) => Promise<Bus>,
  { ordered = true }: { ordered?: boolean } = {},
): void {
  describe('notices', () => {
    const f = noticeFixture(makeBus, peerOf, 'notices');
    const subscriptions = f.stoppedAfterEach<Subscription>();

    const listen = async (on: Bus, ch = f.channel): Promise<string[]> => {
      const got: string[] = [];
      subscriptions.push(await on.subscribe(ch, (m) => got.push(m)));
      return got;
    };

    it(`a notice reaches every subscriber of its channel, the publisher's own included${ordered ? ', in the order published' : ''}`, async () => {
      const [a, b] = [await f.peer(), await f.peer()];
      const gotA = await listen(a);
      const gotB = await listen(b);
      const gotSelf = await listen(f.bus);
      const other = await listen(a, `${f.channel}:other`);
      for (const subscription of subscriptions) expect(subscription.live).toBe(true);
      for (let i = 0; i < 20; i++) await f.bus.publish(f.channel, `n${i}`);
      const expected = Array.from({ length: 20 }, (_, i) => `n${i}`);
      await until(() => [gotA, gotB, gotSelf].every((got) => got.length === 20), 5000);
      const seen = (got: string[]) =>
        ordered ? got : [...got].sort((x, y) => Number(x.slice(1)) - Number(y.slice(1)));
      for (const got of [gotA, gotB, gotSelf]) expect(seen(got)).toEqual(expected);
      expect(other).toEqual([]);
    });

    it("swap's change notice is published only when the value changed, after the write", async () => {
      const a = await f.peer();
      const key = `${f.channel}:key`;
      const got: string[] = [];
      const readOnNotice: (string | null)[] = [];
      subscriptions.push(
        await a.subscribe(f.channel, (m) => {
          got.push(m);
          if (m === 'first') void a.get(key).then((v) => readOnNotice.push(v));
        }),
      );
      const notice = (message: string) => ({ changeNotice: { channel: f.channel, message } });
      expect(await f.bus.swap(key, 'x', notice('first'))).toBeNull();
      await until(() => readOnNotice.length === 1, 5000);
      expect(readOnNotice).toEqual(['x']);
      expect(await f.bus.swap(key, 'x', notice('unchanged'))).toBe('x');
      expect(await f.bus.swap(key, 'y', { ttlMs: 60_000, ...notice('changed') })).toBe('x');
      await f.bus.publish(f.channel, 'end');
      await until(() => got.length >= 3, 5000);
      await new Promise((r) => setTimeout(r, 50)); // a late 'unchanged' would show now
      expect(ordered ? got : [...got].sort()).toEqual(
        ordered ? ['first', 'changed', 'end'] : ['changed', 'end', 'first'],
      );
      expect(await a.get(key)).toBe('y');
    });

    it("delIfEquals's change notice is published only when the key was deleted", async () => {
      const a = await f.peer();
      const key = `${f.channel}:key`;
      const got = await listen(a);
      const notice = (message: string) => ({ changeNotice: { channel: f.channel, message } });
      await f.bus.set(key, 'mine');
      expect(await f.bus.delIfEquals(key, 'theirs', notice('kept'))).toBe(false);
      expect(await f.bus.delIfEquals(key, 'mine', notice('deleted'))).toBe(true);
      expect(await f.bus.delIfEquals(key, 'mine', notice('gone'))).toBe(false);
      await f.bus.publish(f.channel, 'end');
      await until(() => got.length >= 2, 5000);
      await new Promise((r) => setTimeout(r, 50)); // a late 'kept' or 'gone' would show now
      expect(ordered ? got : [...got].sort()).toEqual(['deleted', 'end']);
      expect(await a.get(key)).toBeNull();
    });

    it('an unsubscribed handler gets nothing more; the other subscriptions still do', async () => {
      const a = await f.peer();
      const kept = await listen(a);
      const dropped: string[] = [];
      const subscription = await a.subscribe(f.channel, (m) => dropped.push(m));
      await f.bus.publish(f.channel, 'first');
      await until(() => kept.length === 1 && dropped.length === 1, 5000);
      await subscription.stop();
      await f.bus.publish(f.channel, 'second');
      await until(() => kept.length === 2, 5000);
      await new Promise((r) => setTimeout(r, 50)); // a late 'second' to the dropped handler would show now
      expect(kept).toEqual(['first', 'second']);
      expect(dropped).toEqual(['first']);
    });

    it('a handler that throws does not stop the next notices', async () => {
      const a = await f.peer();
      const got: string[] = [];
      subscriptions.push(
        await a.subscribe(f.channel, (m) => {
          got.push(m);
          if (m === 'boom') throw new Error('handler failure (test)');
        }),
      );
      await f.bus.publish(f.channel, 'boom');
      await until(() => got.length === 1, 5000);
      await f.bus.publish(f.channel, 'after');
      await until(() => got.length === 2, 5000);
      expect(got).toEqual(['boom', 'after']);
    });

    it('a notice published before the subscription is not received (nothing is stored)', async () => {
      const a = await f.peer();
      await f.bus.publish(f.channel, 'early');
      const got = await listen(a);
      await f.bus.publish(f.channel, 'late');
      await until(() => got.length >= 1, 5000);
      expect(got).toEqual(['late']);
    });
  });
}
