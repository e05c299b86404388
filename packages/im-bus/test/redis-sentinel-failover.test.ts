/**
 * A Sentinel fail-over under traffic: a master, a replica and three sentinels of this test's
 * own; a producer pushes queue items one after another while a consumer takes them, and the
 * master is killed (-9) midway. What the bus promises, and this test asserts:
 * - it follows the promoted replica by itself (no restart, no new bus), producer and the
 *   consumer that was blocked on the dead master alike, within a bounded time;
 * - while no master answers, a push waits for the new master (node-redis queues it while the
 *   sentinel client switches) or fails; it never hangs past the bound;
 * - every push that was acknowledged is consumed exactly once, in push order. (Redis
 *   replicates asynchronously: over a network the writes of the last moments before a crash
 *   may not have reached the replica; on loopback that window is empty. A push that failed
 *   may or may not have been applied; senders keep the database as the record, so the
 *   offline pull covers both, see docs/delivery-guarantee.md.)
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisBus, type Bus } from '@box-im/im-bus';
import {
  REDIS_BINARIES_MISSING,
  startSentinelGroup,
  until,
  type SentinelGroup,
} from '@box-im/im-process/testing';

describe.skipIf(REDIS_BINARIES_MISSING)('RedisBus through a Sentinel fail-over', () => {
  let group: SentinelGroup;
  const buses: Bus[] = [];
  beforeAll(async () => {
    group = await startSentinelGroup(3, 1000);
  }, 30_000);
  afterAll(async () => {
    await Promise.all(buses.map((bus) => bus.close().catch(() => undefined)));
    group?.close();
  });

  it('kill -9 of the master during traffic: the bus follows the replica, nothing acknowledged is lost', async () => {
    const keyPrefix = `im-test:${randomUUID()}:`;
    const open = async () => {
      const bus = await RedisBus.connect({ url: group.url, keyPrefix, onError: () => undefined });
      buses.push(bus);
      return bus;
    };
    const producer = await open();
    const consumerBus = await open();
    const consumed: string[] = [];
    const consumer = consumerBus.consume(['q'], (_q, items) => void consumed.push(...items), {
      onError: () => undefined,
    });
    await producer.set('route', '7'); // a routing key written before the crash
    await new Promise((r) => setTimeout(r, 300)); // the consumer reaches its BLPOP

    const acked: string[] = [];
    const failed: { item: string; ms: number }[] = [];
    let killedAt = 0;
    let firstAckAfterKill = 0;
    let n = 0;
    let slowestPushMs = 0;
    const started = Date.now();
    // Push one item at a time for 1 s before the kill, then for 1 s after the first push
    // acknowledged by the new master (25 s at most).
    while (Date.now() - started < 25_000) {
      if (!killedAt && Date.now() - started > 1000) {
        group.killMaster();
        killedAt = Date.now();
      }
      const item = `i${n++}`;
      const t0 = Date.now();
      try {
        await producer.push('q', [item]);
        slowestPushMs = Math.max(slowestPushMs, Date.now() - t0);
        acked.push(item);
        if (killedAt && !firstAckAfterKill) firstAckAfterKill = Date.now();
      } catch {
        failed.push({ item, ms: Date.now() - t0 });
        await new Promise((r) => setTimeout(r, 50));
      }
      if (firstAckAfterKill && Date.now() - firstAckAfterKill > 1000) break;
      await new Promise((r) => setTimeout(r, 2));
    }
    expect(killedAt).toBeGreaterThan(0);
    expect(firstAckAfterKill).toBeGreaterThan(0);
    const outageMs = firstAckAfterKill - killedAt;
    expect(await group.currentMasterPort()).toBe(group.replicaPort);
    expect(outageMs).toBeLessThan(15_000);

    // Every acknowledged item consumed exactly once, in order; nothing consumed twice.
    await until(() => acked.every((item) => consumed.includes(item)), 10_000);
    expect(new Set(consumed).size).toBe(consumed.length);
    const ackedOrder = consumed.filter((item) => acked.includes(item));
    expect(ackedOrder).toEqual(acked);
    // No push hung: each was answered (acknowledged once the new master took it, or failed)
    // within the bound, whatever the outage.
    expect(Math.max(slowestPushMs, ...failed.map((f) => f.ms))).toBeLessThan(15_000);
    // Data written before the crash survived on the promoted replica.
    expect(await producer.get('route')).toBe('7');
    await consumer.stop();
    process.stdout.write(
      `[sentinel fail-over] outage ${outageMs} ms, slowest push ${slowestPushMs} ms, ${acked.length} pushes acknowledged, ` +
        `${failed.length} failed, ${consumed.length} consumed\n`,
    );
  }, 45_000);
});
