/**
 * The Redis command timeout (`commandTimeoutMs`, kept by one watchdog per connection instead
 * of a timer per command): a command fails within about the timeout when Redis stops
 * answering, whether the connection stays open (a paused Redis) or goes away (a stopped one),
 * and the bus works again once Redis answers. Through a TCP relay, so that no other client
 * of the shared Redis is touched.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RedisBus } from '@box-im/im-bus';
import { until } from '@box-im/im-process/testing';
import { relay, type Relay } from './relay';

const url = process.env['IM_TEST_REDIS_URL'];
const timeoutMs = 400;

/** How long `run` took to settle, and whether it failed. */
async function timed(run: () => Promise<unknown>): Promise<{ ms: number; failed: boolean }> {
  const start = performance.now();
  const failed = await run().then(
    () => false,
    () => true,
  );
  return { ms: performance.now() - start, failed };
}

/** Resolves once `run` succeeds (Redis answers again), within 10 s. */
const answering = (run: () => Promise<unknown>) =>
  until(
    () =>
      run().then(
        () => true,
        () => false,
      ),
    10_000,
  );

describe.skipIf(!url)('RedisBus command timeout', () => {
  const keyPrefix = `im-test:${randomUUID()}:`;
  let link: Relay;
  let bus: RedisBus;
  const errors: unknown[] = [];
  beforeAll(async () => {
    link = await relay(new URL(url!));
    bus = await RedisBus.connect({
      url: link.url,
      keyPrefix,
      commandTimeoutMs: timeoutMs,
      onError: (error) => errors.push(error),
    });
  });
  afterEach(async () => {
    link.restore();
    await answering(() => bus.set('k', 'v'));
  });
  afterAll(async () => {
    await bus?.close();
    await link?.close();
    await RedisBus.dropKeyspace(url!, keyPrefix);
  });

  it('fails commands already sent to a Redis that stopped answering (connection open)', async () => {
    await bus.set('k', 'before');
    link.pause();
    const results = await Promise.all([
      timed(() => bus.get('k')),
      timed(() => bus.push('q', ['a'])),
      timed(() => bus.incr('n')),
    ]);
    for (const { ms, failed } of results) {
      expect(failed).toBe(true);
      expect(ms).toBeGreaterThanOrEqual(timeoutMs * 0.6);
      expect(ms).toBeLessThan(timeoutMs * 1.25 + 400); // + scheduling slack on a loaded machine
    }
    expect(errors.some((e) => e instanceof Error && e.name === 'RedisNotAnsweringError')).toBe(true);
    link.restore();
    await until(
      () =>
        bus.get('k').then(
          (v) => v === 'before',
          () => false,
        ),
      10_000,
    );
  });

  it('fails commands waiting for a Redis that went away, and works again when it is back', async () => {
    link.cut();
    const { ms, failed } = await timed(() => bus.set('k', 'during'));
    expect(failed).toBe(true);
    expect(ms).toBeLessThan(timeoutMs * 1.25 + 400);
    // Still down: every later command fails within the timeout too.
    const again = await timed(() => bus.get('k'));
    expect(again.failed).toBe(true);
    expect(again.ms).toBeLessThan(timeoutMs * 1.25 + 400);
    link.restore();
    await answering(() => bus.set('k', 'after'));
    expect(await bus.get('k')).toBe('after');
  });

  it('never fails the commands of a busy, healthy connection', async () => {
    const started = performance.now();
    let count = 0;
    while (performance.now() - started < timeoutMs * 3) {
      await Promise.all(Array.from({ length: 50 }, (_, i) => bus.set(`h${i}`, String(count))));
      count++;
    }
    expect(count).toBeGreaterThan(10);
  });
});
