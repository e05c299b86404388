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

/** A logger that counts warnings (a task that went on without a lease). */
function countingLog() {
  const warnings: unknown[] = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => void warnings.push(line) });
  return { logger, warnings };
}

describe.skipIf(!REDIS_URL)('ClusterSerialQueue keeps leases while work is queued', () => {
  let buses: RedisBus[];
  let warnings: unknown[];
  const queue = (i: number, options = {}) => {
    const c = countingLog();
    warnings = c.warnings;
    return new ClusterSerialQueue(buses[i]!, c.logger, { waitMs: 20_000, ...options });
  };
  beforeEach(async () => {
    const keyPrefix = `im-test:${randomUUID()}:`;
    buses = [
      await RedisBus.connect({ url: REDIS_URL!, keyPrefix }),
      await RedisBus.connect({ url: REDIS_URL!, keyPrefix }),
    ];
  });
  afterEach(async () => {
    await Promise.all(buses.map((b) => b.close().catch(() => undefined)));
  });

  /**
   * Two processes write for the same users at once: ids are taken at entry (as the group
   * commit assigns them in submission order), the commit takes a random time, and each finish
   * "pushes" the id to its users. Every user must be pushed their ids in ascending order.
   */
  it('pushes each user its ids in order across two processes sending for that user at once', async () => {
    const qs = [queue(0), queue(1)];
    let nextId = 0;
    const pushed = new Map<string, number[]>();
    const sends = Array.from({ length: 120 }, (_, i) => {
      const keys =
        i % 3 === 0 ? ['user:1', 'user:2'] : i % 3 === 1 ? ['user:1', `user:${10 + i}`] : ['user:2'];
      return qs[i % 2]!.pipeline(
        keys,
        () => Promise.resolve({ id: ++nextId }),
        async ({ id }) => {
          await sleep(Math.random() * 4);
          for (const key of keys) pushed.set(key, [...(pushed.get(key) ?? []), id]);
        },
      );
    });
    await Promise.all(sends);
    for (const ids of pushed.values()) expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(pushed.get('user:1')).toHaveLength(80);
    await expect.poll(() => qs.map((q) => q.held)).toEqual([0, 0]);
    expect(await buses[0]!.mget(['im:order:{user:1}', 'im:order:{user:2}'])).toEqual([null, null]);
  });

  it('lets the next write of a key enter while the previous finishes (so the group commit batches)', async () => {
    const q = queue(0);
    let open = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 10 }, () =>
        q.pipeline(
          ['user:1', 'user:2'],
          () => Promise.resolve({ n: ++open }),
          async () => {
            most = Math.max(most, open);
            await sleep(5);
            open--;
          },
        ),
      ),
    );
    expect(most).toBeGreaterThan(1);
    await expect.poll(() => q.held).toBe(0);
  });

  it('hands a busy key to another process after maxTasks, without waiting for its queue to drain', async () => {
    const [busy, other] = [queue(0, { maxTasks: 4, maxHoldMs: 10_000 }), queue(1)];
    let stop = false;
    let served = 0;
    const stream = (async () => {
      while (!stop) {
        const batch = Array.from({ length: 8 }, () =>
          busy.pipeline(
            ['user:1'],
            () => Promise.resolve({}),
            () => sleep(2).then(() => void served++),
          ),
        );
        await Promise.all(batch.slice(0, 4));
        void Promise.all(batch);
      }
    })();
    await sleep(20);
    const before = served;
    await other.run(['user:1'], () => Promise.resolve());
    stop = true;
    await stream;
    await sleep(50);
    expect(served).toBeGreaterThan(before);
    expect(warnings).toEqual([]);
  });

  it('does not deadlock when two processes take the same keys in opposite orders', async () => {
    const qs = [queue(0, { maxTasks: 3 }), queue(1, { maxTasks: 3 })];
    const started = Date.now();
    await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        qs[i % 2]!.pipeline(
          i % 4 < 2 ? ['user:a', 'user:b', `user:${i}`] : ['user:b', 'user:a'],
          () => sleep(1).then(() => ({})),
          () => sleep(Math.random() * 3),
        ),
      ),
    );
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(warnings).toEqual([]);
    await expect.poll(() => qs.map((q) => q.held)).toEqual([0, 0]);
  });
});
