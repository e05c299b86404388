/**
 * Notices over a Redis connection that breaks: the subscription reports it is down (notices
 * may be missed), re-subscribes by itself and reports it is live again, and a
 * `RevocationCache` stops answering from memory in between. The connection runs through a
 * TCP relay the test cuts, so no other client of the shared Redis is touched.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisBus, RevocationCache, TokenRevocations } from '@box-im/im-bus';
import { until } from '@box-im/im-process/testing';
import { relay, type Relay } from './relay';

const url = process.env['IM_TEST_REDIS_URL'];

describe.skipIf(!url)('RedisBus notices across a broken connection', () => {
  const keyPrefix = `im-test:${randomUUID()}:`;
  let link: Relay;
  let bus: RedisBus;
  let direct: RedisBus;
  beforeAll(async () => {
    link = await relay(new URL(url!));
    bus = await RedisBus.connect({ url: link.url, keyPrefix, onError: () => undefined });
    direct = await RedisBus.connect({ url: url!, keyPrefix });
  });
  afterAll(async () => {
    await bus?.close();
    await direct?.close();
    await link?.close();
    await RedisBus.dropKeyspace(url!, keyPrefix);
  });

  it('reports down, re-subscribes and reports live again; a revocation cache reads the store meanwhile', async () => {
    const changes: boolean[] = [];
    const heard: string[] = [];
    const sub = await bus.subscribe('ch', (m) => heard.push(m), { onLive: (live) => changes.push(live) });
    const cache = new RevocationCache(bus);
    await cache.start();
    expect(sub.live).toBe(true);
    expect(await cache.isRevoked(3, 100)).toBe(false); // remembered

    link.cut();
    await until(() => changes.includes(false), 5000);
    expect(sub.live).toBe(false);
    expect(cache.caching).toBe(false);
    // a marker written while the notices are down (by a process on the direct connection): the
    // cache cannot hear of it and must not answer from memory; its store read fails while the
    // bus is unreachable (the request fails, it is not let through)
    await new TokenRevocations(direct).revoke(3, 1000, 60_000);
    await expect(cache.isRevoked(3, 100)).rejects.toThrow();

    link.restore();
    await until(() => changes.at(-1) === true, 10_000, 20);
    expect(sub.live).toBe(true);
    expect(cache.caching).toBe(true);
    // nothing remembered from before the break is trusted: the marker is read again
    expect(await cache.isRevoked(3, 100)).toBe(true);

    // re-subscribed by itself: notices are heard again
    await direct.publish('ch', 'after');
    await until(() => heard.includes('after'), 2000);
    await cache.stop();
    await sub.stop();
  });
});
