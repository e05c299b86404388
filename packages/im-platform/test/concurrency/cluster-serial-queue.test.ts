/**
 * The cluster-wide write order on a real Redis: two queues on two connections (two platform
 * processes) never run tasks of one key at once, keep tasks of other keys parallel, and write
 * on when the bus is gone (in-process order only) instead of failing the send.
 */
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { RedisBus } from '@box-im/im-bus';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ClusterSerialQueue } from '../../src/concurrency/cluster-serial-queue';
import { REDIS_URL } from '../../testing';

const log = pino({ level: 'silent' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!REDIS_URL)('ClusterSerialQueue on Redis', () => {
  let buses: RedisBus[];
  let queues: ClusterSerialQueue[];
  beforeEach(async () => {
    const keyPrefix = `im-test:${randomUUID()}:`;
    buses = [
      await RedisBus.connect({ url: REDIS_URL!, keyPrefix }),
      await RedisBus.connect({ url: REDIS_URL!, keyPrefix }),
    ];
    queues = buses.map((bus) => new ClusterSerialQueue(bus, log));
  });
  afterEach(async () => {
    await Promise.all(buses.map((b) => b.close().catch(() => undefined)));
  });

  it('runs the tasks of one key one at a time across processes', async () => {
    let active = 0;
    let most = 0;
    const done: number[] = [];
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        queues[i % 2]!.run(['user:1', `user:${100 + i}`], async () => {
          most = Math.max(most, ++active);
          await sleep(3);
          active--;
          done.push(i);
        }),
      ),
    );
    expect(most).toBe(1);
    expect(done).toHaveLength(20);
  });

  it('keeps different keys in parallel', async () => {
    let active = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        queues[i % 2]!.run([`group:${i}`], async () => {
          most = Math.max(most, ++active);
          await sleep(50);
          active--;
        }),
      ),
    );
    expect(most).toBeGreaterThan(1);
  });

  it('still runs the task, in local order, when the bus is gone', async () => {
    await buses[0]!.close();
    const order: number[] = [];
    await Promise.all(
      [1, 2, 3].map((n) => queues[0]!.run(['user:1'], () => Promise.resolve(void order.push(n)))),
    );
    expect(order).toEqual([1, 2, 3]);
  });
});
