import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Bus, Consumer } from '@box-im/im-bus';
import { until } from '@box-im/im-process/testing';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Consumers of queues that stay busy (a push node under load): the first listed queue is
 * never starved by a busy later one, and a stop in the middle loses no item.
 */
export function busyQueuesContract(makeBus: () => Promise<Bus>): void {
  describe('busy queues', () => {
    let bus: Bus;
    let ns: string;
    const consumers: Consumer[] = [];
    beforeEach(async () => {
      bus = await makeBus();
      ns = `t:${randomUUID()}:`;
    });
    afterEach(async () => {
      await Promise.all(consumers.splice(0).map((c) => c.stop()));
      await bus.close();
    });

    it('serves the first listed queue while a later one stays busy', async () => {
      const backlog = Array.from({ length: 300 }, (_, i) => `b${i}`);
      await bus.push(ns + 'b', backlog);
      const seen: string[] = [];
      consumers.push(
        bus.consume(
          [ns + 'a', ns + 'b'],
          async (_q, batch) => {
            seen.push(...batch);
            await sleep(2);
          },
          { batchSize: 5 },
        ),
      );
      await until(() => seen.length >= 20);
      await bus.push(ns + 'a', ['urgent']);
      await until(() => seen.includes('urgent'));
      // Served within a few pops, long before the backlog of `b` drained.
      expect(seen.indexOf('urgent')).toBeLessThan(100);
      await until(() => seen.length === 301);
      expect(seen.filter((item) => item !== 'urgent')).toEqual(backlog);
    });

    it('stop() in the middle of a backlog loses nothing and keeps the order', async () => {
      const items = Array.from({ length: 400 }, (_, i) => `m${i}`);
      await bus.push(ns + 'q', items);
      const seen: string[] = [];
      const consumer = bus.consume(
        [ns + 'q'],
        async (_q, batch) => {
          seen.push(...batch);
          await sleep(1);
        },
        { batchSize: 10 },
      );
      await until(() => seen.length >= 50);
      await consumer.stop();
      const left = await bus.length(ns + 'q');
      expect(left).toBeGreaterThan(0);
      expect(seen.length + left).toBe(400);
      expect(seen).toEqual(items.slice(0, seen.length));
    });
  });
}
