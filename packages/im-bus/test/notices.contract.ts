import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Bus, Subscription } from '@box-im/im-bus';
import { until } from '@box-im/im-process/testing';

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
    let bus: Bus;
    const peers: Bus[] = [];
    const subscriptions: Subscription[] = [];
    let channel: string;

    beforeEach(async () => {
      bus = await makeBus();
      channel = `t:${randomUUID()}:notices`;
    });
    afterEach(async () => {
      await Promise.all(subscriptions.splice(0).map((s) => s.stop()));
      await Promise.all(peers.splice(0).map((p) => (p === bus ? Promise.resolve() : p.close())));
      await bus.close();
    });

    const peer = async (): Promise<Bus> => {
      const p = await peerOf(bus);
      peers.push(p);
      return p;
    };
    const listen = async (on: Bus, ch = channel): Promise<string[]> => {
      const got: string[] = [];
      subscriptions.push(await on.subscribe(ch, (m) => got.push(m)));
      return got;
    };

    it(`a notice reaches every subscriber of its channel, the publisher's own included${ordered ? ', in the order published' : ''}`, async () => {
      const [a, b] = [await peer(), await peer()];
      const gotA = await listen(a);
      const gotB = await listen(b);
      const gotSelf = await listen(bus);
      const other = await listen(a, `${channel}:other`);
      for (const subscription of subscriptions) expect(subscription.live).toBe(true);
      for (let i = 0; i < 20; i++) await bus.publish(channel, `n${i}`);
      const expected = Array.from({ length: 20 }, (_, i) => `n${i}`);
      await until(() => [gotA, gotB, gotSelf].every((got) => got.length === 20), 5000);
      const seen = (got: string[]) =>
        ordered ? got : [...got].sort((x, y) => Number(x.slice(1)) - Number(y.slice(1)));
      for (const got of [gotA, gotB, gotSelf]) expect(seen(got)).toEqual(expected);
      expect(other).toEqual([]);
    });

    it("swap's change notice is published only when the value changed, after the write", async () => {
      const a = await peer();
      const key = `${channel}:key`;
      const got: string[] = [];
      const readOnNotice: (string | null)[] = [];
      subscriptions.push(
        await a.subscribe(channel, (m) => {
          got.push(m);
          if (m === 'first') void a.get(key).then((v) => readOnNotice.push(v));
        }),
      );
      const notice = (message: string) => ({ changeNotice: { channel, message } });
      expect(await bus.swap(key, 'x', notice('first'))).toBeNull();
      await until(() => readOnNotice.length === 1, 5000);
      expect(readOnNotice).toEqual(['x']);
      expect(await bus.swap(key, 'x', notice('unchanged'))).toBe('x');
      expect(await bus.swap(key, 'y', { ttlMs: 60_000, ...notice('changed') })).toBe('x');
      await bus.publish(channel, 'end');
      await until(() => got.length >= 3, 5000);
      await new Promise((r) => setTimeout(r, 50)); // a late 'unchanged' would show now
      expect(ordered ? got : [...got].sort()).toEqual(
        ordered ? ['first', 'changed', 'end'] : ['changed', 'end', 'first'],
      );
      expect(await a.get(key)).toBe('y');
    });

    it("delIfEquals's change notice is published only when the key was deleted", async () => {
      const a = await peer();
      const key = `${channel}:key`;
      const got = await listen(a);
      const notice = (message: string) => ({ changeNotice: { channel, message } });
      await bus.set(key, 'mine');
      expect(await bus.delIfEquals(key, 'theirs', notice('kept'))).toBe(false);
      expect(await bus.delIfEquals(key, 'mine', notice('deleted'))).toBe(true);
      expect(await bus.delIfEquals(key, 'mine', notice('gone'))).toBe(false);
      await bus.publish(channel, 'end');
      await until(() => got.length >= 2, 5000);
      await new Promise((r) => setTimeout(r, 50)); // a late 'kept' or 'gone' would show now
      expect(ordered ? got : [...got].sort()).toEqual(['deleted', 'end']);
      expect(await a.get(key)).toBeNull();
    });

    it('an unsubscribed handler gets nothing more; the other subscriptions still do', async () => {
      const a = await peer();
      const kept = await listen(a);
      const dropped: string[] = [];
      const subscription = await a.subscribe(channel, (m) => dropped.push(m));
      await bus.publish(channel, 'first');
      await until(() => kept.length === 1 && dropped.length === 1, 5000);
      await subscription.stop();
      await bus.publish(channel, 'second');
      await until(() => kept.length === 2, 5000);
      await new Promise((r) => setTimeout(r, 50)); // a late 'second' to the dropped handler would show now
      expect(kept).toEqual(['first', 'second']);
      expect(dropped).toEqual(['first']);
    });

    it('a handler that throws does not stop the next notices', async () => {
      const a = await peer();
      const got: string[] = [];
      subscriptions.push(
        await a.subscribe(channel, (m) => {
          got.push(m);
          if (m === 'boom') throw new Error('handler failure (test)');
        }),
      );
      await bus.publish(channel, 'boom');
      await until(() => got.length === 1, 5000);
      await bus.publish(channel, 'after');
      await until(() => got.length === 2, 5000);
      expect(got).toEqual(['boom', 'after']);
    });

    it('a notice published before the subscription is not received (nothing is stored)', async () => {
      const a = await peer();
      await bus.publish(channel, 'early');
      const got = await listen(a);
      await bus.publish(channel, 'late');
      await until(() => got.length >= 1, 5000);
      expect(got).toEqual(['late']);
    });
  });
}
