import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RedisKey } from '@box-im/im-common';
import {
  BusLock,
  isRevokedBy,
  RevocationCache,
  RoutingTable,
  TokenRevocations,
  type Bus,
  type Consumer,
} from '@box-im/im-bus';
import { until } from '@box-im/im-process/testing';
import { busyQueuesContract } from './busy-queues.contract';
import { watchLiveness } from './notice-fixture';
import { noticeKeptMapContract } from './notice-kept-map.contract';
import { noticeContract } from './notices.contract';

/** A promise with its resolver, to await an event fired by a callback. */
function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/**
 * The behaviour every `Bus` must have, run once per implementation (memory always, Redis
 * when `IM_TEST_REDIS_URL` is set). `makeBus` must return a bus isolated from every other
 * suite (the Redis runner uses a random key prefix); `peerOf(bus)` another connection to the
 * same keys (a second process on the same Redis), to race commands from several clients.
 * `consumerReadyMs`: how long a new consumer needs to reach its blocking wait (its own
 * connection; longer behind Sentinel, which is asked for the master first).
 * `orderedNotices: false` where notices of one publisher may overtake each other (a cluster).
 */
export function runBusContract(
  name: string,
  makeBus: () => Promise<Bus>,
  peerOf: (bus: Bus) => Promise<Bus>,
  options: { consumerReadyMs?: number; orderedNotices?: boolean } = {},
): void {
  const consumerReadyMs = options.consumerReadyMs ?? 100;
  describe(`Bus contract: ${name}`, () => {
    let bus: Bus;
    const consumers: Consumer[] = [];
    const peers: Bus[] = [];
    /** `n` connections to the keys of `bus` (the same object on the memory bus). */
    const connections = async (n: number): Promise<Bus[]> => {
      const list = await Promise.all(Array.from({ length: n }, () => peerOf(bus)));
      for (const peer of list) if (peer !== bus && !peers.includes(peer)) peers.push(peer);
      return list;
    };
    /** A fresh name per test, so that even a shared bus never mixes tests' keys or items. */
    let ns: string;

    beforeEach(async () => {
      bus = await makeBus();
      ns = `t:${randomUUID()}:`;
    });
    afterEach(async () => {
      await Promise.all(consumers.splice(0).map((c) => c.stop()));
      await Promise.all(peers.splice(0).map((p) => p.close()));
      await bus.close();
    });

    describe('keys', () => {
      it('incr starts at 1 and counts up', async () => {
        expect(await bus.incr(ns + 'n')).toBe(1);
        expect(await bus.incr(ns + 'n')).toBe(2);
        expect(await bus.get(ns + 'n')).toBe('2');
      });

      it('incr adds any step and keeps the time to live', async () => {
        expect(await bus.incr(ns + 'b', 1000)).toBe(1000);
        expect(await bus.incr(ns + 'b', 24)).toBe(1024);
        await bus.set(ns + 't', '5', { ttlMs: 80 });
        expect(await bus.incr(ns + 't', 5)).toBe(10);
        await new Promise((r) => setTimeout(r, 150));
        expect(await bus.get(ns + 't')).toBeNull();
      });

      it('get/mget return null for missing keys and values in the order asked', async () => {
        expect(await bus.get(ns + 'missing')).toBeNull();
        await bus.set(ns + 'a', '1');
        await bus.set(ns + 'c', '3');
        expect(await bus.mget([ns + 'a', ns + 'b', ns + 'c'])).toEqual(['1', null, '3']);
        expect(await bus.mget([])).toEqual([]);
      });

      it('set with ttl expires the key', async () => {
        expect(await bus.set(ns + 'k', 'v', { ttlMs: 60 })).toBe(true);
        expect(await bus.get(ns + 'k')).toBe('v');
        await new Promise((r) => setTimeout(r, 120)); // waiting out a TTL is the subject here
        expect(await bus.get(ns + 'k')).toBeNull();
      });

      it('set onlyIfAbsent refuses to overwrite a live key', async () => {
        expect(await bus.set(ns + 'k', 'first', { onlyIfAbsent: true })).toBe(true);
        expect(await bus.set(ns + 'k', 'second', { onlyIfAbsent: true })).toBe(false);
        expect(await bus.get(ns + 'k')).toBe('first');
        expect(await bus.set(ns + 'k', 'third')).toBe(true);
        expect(await bus.get(ns + 'k')).toBe('third');
      });

      it('expire renews an existing key and reports a missing one', async () => {
        expect(await bus.expire(ns + 'missing', 1000)).toBe(false);
        await bus.set(ns + 'k', 'v', { ttlMs: 60 });
        expect(await bus.expire(ns + 'k', 10_000)).toBe(true);
        await new Promise((r) => setTimeout(r, 120));
        expect(await bus.get(ns + 'k')).toBe('v');
        expect(await bus.expire(ns + 'k', 50)).toBe(true);
        await new Promise((r) => setTimeout(r, 120));
        expect(await bus.get(ns + 'k')).toBeNull();
      });

      it('swap sets a key and returns the value it replaced, with a ttl', async () => {
        expect(await bus.swap(ns + 'k', 'first', { ttlMs: 60 })).toBeNull();
        expect(await bus.swap(ns + 'k', 'second')).toBe('first');
        expect(await bus.get(ns + 'k')).toBe('second');
        expect(await bus.swap(ns + 'k', 'third', { ttlMs: 60 })).toBe('second');
        await new Promise((r) => setTimeout(r, 120)); // the ttl of the last swap applies
        expect(await bus.get(ns + 'k')).toBeNull();
      });

      it('concurrent swaps from many connections each see exactly one other value', async () => {
        const clients = await connections(12);
        const previous = await Promise.all(clients.map((c, i) => c.swap(ns + 'k', `v${i}`)));
        const last = await bus.get(ns + 'k');
        // A chain: one swap saw nothing, every other saw a distinct value, and the value
        // left is the one nobody saw.
        expect(previous.filter((p) => p === null)).toHaveLength(1);
        const seen = previous.filter((p): p is string => p !== null);
        expect(new Set(seen).size).toBe(seen.length);
        expect([...seen, last].sort()).toEqual(clients.map((_, i) => `v${i}`).sort());
      });

      it('del reports whether the key existed', async () => {
        await bus.set(ns + 'k', 'v');
        expect(await bus.del(ns + 'k')).toBe(true);
        expect(await bus.del(ns + 'k')).toBe(false);
        expect(await bus.get(ns + 'k')).toBeNull();
      });

      it('delIfEquals deletes only a matching value', async () => {
        await bus.set(ns + 'k', 'mine');
        expect(await bus.delIfEquals(ns + 'k', 'theirs')).toBe(false);
        expect(await bus.get(ns + 'k')).toBe('mine');
        expect(await bus.delIfEquals(ns + 'k', 'mine')).toBe(true);
        expect(await bus.get(ns + 'k')).toBeNull();
        expect(await bus.delIfEquals(ns + 'k', 'mine')).toBe(false);
      });

      it('expireIfEquals renews only a matching value', async () => {
        await bus.set(ns + 'k', 'mine', { ttlMs: 80 });
        expect(await bus.expireIfEquals(ns + 'k', 'theirs', 10_000)).toBe(false);
        expect(await bus.expireIfEquals(ns + 'k', 'mine', 10_000)).toBe(true);
        await new Promise((r) => setTimeout(r, 150));
        expect(await bus.get(ns + 'k')).toBe('mine');
        expect(await bus.expireIfEquals(ns + 'missing', 'mine', 1000)).toBe(false);
      });
    });

    describe('queues', () => {
      it('push appends and length counts', async () => {
        expect(await bus.length(ns + 'q')).toBe(0);
        await bus.push(ns + 'q', ['a', 'b']);
        await bus.push(ns + 'q', []);
        await bus.push(ns + 'q', ['c']);
        expect(await bus.length(ns + 'q')).toBe(3);
      });

      it('consume delivers in push order, in batches of at most batchSize', async () => {
        const items = Array.from({ length: 25 }, (_, i) => `m${i}`);
        await bus.push(ns + 'q', items);
        const seen: string[] = [];
        const batchSizes: number[] = [];
        consumers.push(
          bus.consume(
            [ns + 'q'],
            (queue, batch) => {
              expect(queue).toBe(ns + 'q');
              batchSizes.push(batch.length);
              seen.push(...batch);
            },
            { batchSize: 10 },
          ),
        );
        await until(() => seen.length === 25);
        expect(seen).toEqual(items);
        expect(Math.max(...batchSizes)).toBeLessThanOrEqual(10);
        expect(batchSizes.length).toBeGreaterThanOrEqual(3);
        expect(await bus.length(ns + 'q')).toBe(0);
      });

      it('consume reports which queue each batch came from', async () => {
        const seen: [string, string[]][] = [];
        consumers.push(bus.consume([ns + 'a', ns + 'b'], (queue, batch) => void seen.push([queue, batch])));
        await bus.push(ns + 'b', ['x']);
        await until(() => seen.length === 1);
        await bus.push(ns + 'a', ['y']);
        await until(() => seen.length === 2);
        expect(seen).toEqual([
          [ns + 'b', ['x']],
          [ns + 'a', ['y']],
        ]);
      });

      it('wakes an idle consumer at once (no polling period)', async () => {
        const handled = deferred<number>();
        consumers.push(bus.consume([ns + 'q'], () => handled.resolve(performance.now())));
        // Let the consumer reach its blocking wait before pushing.
        await new Promise((r) => setTimeout(r, consumerReadyMs));
        const pushedAt = performance.now();
        await bus.push(ns + 'q', ['ping']);
        const latencyMs = (await handled.promise) - pushedAt;
        console.log(`[${name}] idle consumer wake-up latency: ${latencyMs.toFixed(2)} ms`);
        expect(latencyMs).toBeLessThan(50);
      });

      it('hands each item to exactly one of two consumers on one queue', async () => {
        const seenBy: string[][] = [[], []];
        for (const i of [0, 1]) {
          consumers.push(
            bus.consume(
              [ns + 'q'],
              async (_q, batch) => {
                seenBy[i]!.push(...batch);
                await new Promise((r) => setTimeout(r, 1));
              },
              { batchSize: 5 },
            ),
          );
        }
        const items = Array.from({ length: 200 }, (_, i) => String(i));
        for (let i = 0; i < items.length; i += 20) await bus.push(ns + 'q', items.slice(i, i + 20));
        await until(() => seenBy[0]!.length + seenBy[1]!.length >= 200);
        const all = [...seenBy[0]!, ...seenBy[1]!];
        expect(all).toHaveLength(200);
        expect(new Set(all).size).toBe(200);
      });

      it('stop() returns promptly while the consumer is blocked, and nothing is consumed after', async () => {
        const seen: string[] = [];
        const consumer = bus.consume([ns + 'q'], (_q, batch) => void seen.push(...batch));
        await new Promise((r) => setTimeout(r, 50));
        const started = performance.now();
        await consumer.stop();
        expect(performance.now() - started).toBeLessThan(1000);
        await bus.push(ns + 'q', ['late']);
        expect(await bus.length(ns + 'q')).toBe(1);
        expect(seen).toEqual([]);
        await consumer.stop(); // idempotent
      });

      it('stop() waits for the handler in flight', async () => {
        const entered = deferred<void>();
        let finished = false;
        const consumer = bus.consume([ns + 'q'], async () => {
          entered.resolve();
          await new Promise((r) => setTimeout(r, 50));
          finished = true;
        });
        await bus.push(ns + 'q', ['x']);
        await entered.promise;
        await consumer.stop();
        expect(finished).toBe(true);
      });

      it('keeps consuming after a handler error and reports it', async () => {
        const errors: unknown[] = [];
        const seen: string[] = [];
        consumers.push(
          bus.consume(
            [ns + 'q'],
            (_q, batch) => {
              if (batch.includes('bad')) throw new Error('boom');
              seen.push(...batch);
            },
            { batchSize: 1, onError: (error) => errors.push(error) },
          ),
        );
        await bus.push(ns + 'q', ['bad', 'good']);
        await until(() => seen.length === 1);
        expect(seen).toEqual(['good']);
        expect(errors).toHaveLength(1);
        expect((errors[0] as Error).message).toBe('boom');
      });
    });

    busyQueuesContract(makeBus);
    noticeContract(makeBus, peerOf, { ordered: options.orderedNotices ?? true });
    noticeKeptMapContract(makeBus, peerOf);

    describe('BusLock', () => {
      it('is exclusive until released', async () => {
        const a = new BusLock(bus, ns + 'lock', 5000);
        const b = new BusLock(bus, ns + 'lock', 5000);
        expect(await a.tryAcquire()).toBe(true);
        expect(await b.tryAcquire()).toBe(false);
        expect(await b.runExclusive(() => Promise.resolve('ran'))).toBeUndefined();
        await a.release();
        expect(await b.runExclusive(() => Promise.resolve('ran'))).toBe('ran');
        expect(await a.tryAcquire()).toBe(true);
        await a.release();
      });

      it('waits up to waitMs for the holder, then reports busy through onBusy', async () => {
        const a = new BusLock(bus, ns + 'lock', 5000);
        const b = new BusLock(bus, ns + 'lock', 5000);
        expect(await a.tryAcquire()).toBe(true);
        const busy = () => {
          throw new Error('busy');
        };
        await expect(
          b.runExclusive(() => Promise.resolve('ran'), { waitMs: 60, onBusy: busy }),
        ).rejects.toThrow('busy');
        const waiting = b.runExclusive(() => Promise.resolve('ran'), {
          waitMs: 5000,
          pollMs: 10,
          onBusy: busy,
        });
        await a.release();
        expect(await waiting).toBe('ran');
      });

      it('release by a non-holder does not free the lock', async () => {
        const a = new BusLock(bus, ns + 'lock', 5000);
        const b = new BusLock(bus, ns + 'lock', 5000);
        expect(await a.tryAcquire()).toBe(true);
        await b.release();
        expect(await b.tryAcquire()).toBe(false);
        await a.release();
      });

      it('expires when its holder stops renewing it', async () => {
        // A holder that died: the key was set with a lease but nobody renews it.
        await bus.set(ns + 'lock', 'dead-holder', { ttlMs: 80, onlyIfAbsent: true });
        const b = new BusLock(bus, ns + 'lock', 5000);
        expect(await b.tryAcquire()).toBe(false);
        await new Promise((r) => setTimeout(r, 150));
        expect(await b.tryAcquire()).toBe(true);
        await b.release();
      });
    });

    describe('RoutingTable', () => {
      const alice = { userId: 7, terminal: 0 };
      const aliceApp = { userId: 7, terminal: 1 };

      it('claim/lookup/renew/unregister', async () => {
        const routes = new RoutingTable(bus);
        const who = { userId: 42, terminal: 2 };
        expect(await routes.lookupOne(who)).toBeNull();
        expect(await routes.claim(who, 3, 600)).toBeNull();
        expect(await bus.get(RedisKey.userServerId(who.userId, who.terminal))).toBe('3');
        expect(await routes.lookup([who, { ...who, terminal: 1 }])).toEqual([3, null]);
        expect(await routes.renew(who, 3, 600)).toBe('renewed');
        expect(await routes.renew(who, 4, 600)).toBe('taken'); // never over another node's route
        expect(await routes.lookupOne(who)).toBe(3);
        expect(await routes.unregister(who, 4)).toBe(false); // not ours: kept
        expect(await routes.lookupOne(who)).toBe(3);
        expect(await routes.unregister(who, 3)).toBe(true);
        expect(await routes.lookupOne(who)).toBeNull();
        expect(await routes.renew(who, 3, 600)).toBe('restored'); // gone (Redis restart): written again
        expect(await routes.lookupOne(who)).toBe(3);
      });

      it('a claim returns the node it displaced; the stale unregister keeps the newer route', async () => {
        const routes = new RoutingTable(bus);
        expect(await routes.claim(alice, 1, 600)).toBeNull();
        expect(await routes.claim(alice, 2, 600)).toBe(1); // same user logged in on server 2
        expect(await routes.unregister(alice, 1)).toBe(false);
        expect(await routes.lookupOne(alice)).toBe(2);
        expect(await routes.claim(alice, 2, 600)).toBe(2); // a second login on the same node
        await routes.unregister(alice, 2);
      });

      it('concurrent claims of one pair on many nodes: one owner, every other claimer told whom it displaced', async () => {
        const nodes = await connections(10);
        const displaced = await Promise.all(
          nodes.map((c, i) => new RoutingTable(c).claim(aliceApp, i + 1, 600)),
        );
        const owner = await new RoutingTable(bus).lookupOne(aliceApp);
        // Exactly one claim found the pair free; each other displaced a different node, and the
        // owner is the only node nobody displaced: every loser gets exactly one order.
        expect(displaced.filter((d) => d === null)).toHaveLength(1);
        const losers = displaced.filter((d): d is number => d !== null);
        expect(new Set(losers).size).toBe(losers.length);
        expect([...losers, owner].sort((a, b) => a! - b!)).toEqual(nodes.map((_, i) => i + 1));
      });

      it('routes expire after their ttl unless renewed', async () => {
        const routes = new RoutingTable(bus);
        await routes.claim(aliceApp, 1, 1);
        expect(await routes.lookupOne(aliceApp)).toBe(1);
        await new Promise((r) => setTimeout(r, 1100));
        expect(await routes.lookupOne(aliceApp)).toBeNull();
      });
    });

    describe('TokenRevocations', () => {
      it('revokes tokens issued before the marker, and every token without an issue time', async () => {
        const revocations = new TokenRevocations(bus);
        const userId = 1000;
        expect(await revocations.validAfter(userId)).toBeNull();
        expect(await revocations.isRevoked(userId, undefined)).toBe(false); // no marker: nothing revoked
        await revocations.revoke(userId, 5000, 60_000);
        expect(await bus.get(RedisKey.userTokensValidAfter(userId))).toBe('5000');
        expect(await revocations.validAfter(userId)).toBe(5000);
        expect(await revocations.isRevoked(userId, 4999)).toBe(true);
        expect(await revocations.isRevoked(userId, 5000)).toBe(false);
        expect(await revocations.isRevoked(userId, undefined)).toBe(true); // box-im token: no iat
        expect(await revocations.isRevoked(userId + 1, 1)).toBe(false); // other users untouched
        expect(isRevokedBy(null, 1)).toBe(false);
      });

      it('the marker lives for its ttl only', async () => {
        const revocations = new TokenRevocations(bus);
        await revocations.revoke(77, Date.now(), 60);
        expect(await revocations.isRevoked(77, 0)).toBe(true);
        await new Promise((r) => setTimeout(r, 120));
        expect(await revocations.isRevoked(77, 0)).toBe(false);
      });
    });

    describe('RevocationCache', () => {
      /** Marker written straight to the store, announced to nobody (as a process without notices would). */
      const silently = (userId: number, atMs: number) =>
        new TokenRevocations(bus).revoke(userId, atMs, 60_000);

      it('answers from memory, and a revocation made on any connection is known everywhere at once', async () => {
        const [peer] = await connections(1);
        const here = new RevocationCache(bus);
        const there = new RevocationCache(peer!);
        await here.start();
        await there.start();
        expect(there.caching).toBe(true);
        expect(await there.isRevoked(5, 100)).toBe(false); // read once, remembered
        await silently(5, 1000);
        expect(await there.isRevoked(5, 100)).toBe(false); // no store read per check
        await here.revoke(5, 2000, 60_000);
        expect(await here.isRevoked(5, 1500)).toBe(true); // the revoking process knows it before any notice
        await until(() => there.isRevoked(5, 1500), 1000);
        expect(await there.validAfter(5)).toBe(2000);
        expect(await there.isRevoked(5, 2000)).toBe(false); // tokens issued after stay valid
        expect(await new TokenRevocations(peer!).validAfter(5)).toBe(2000); // the marker is in the store
        await here.stop();
        await there.stop();
      });

      it('reads the store on every check while notices are not heard; forgets what it knew when they return', async () => {
        const idle = new RevocationCache(bus); // not started: no notices
        expect(idle.caching).toBe(false);
        expect(await idle.isRevoked(9, 100)).toBe(false);
        await silently(9, 1000);
        expect(await idle.isRevoked(9, 100)).toBe(true);

        const { bus: watched, onLive } = watchLiveness(bus);
        const cache = new RevocationCache(watched);
        await cache.start();
        expect(await cache.isRevoked(10, 100)).toBe(false);
        onLive(false); // the subscriber's connection failed: notices may be missed
        expect(cache.caching).toBe(false);
        await silently(10, 1000);
        expect(await cache.isRevoked(10, 100)).toBe(true);
        await silently(11, 1000);
        onLive(true); // heard again: nothing remembered from before survives
        expect(cache.caching).toBe(true);
        expect(await cache.isRevoked(11, 100)).toBe(true);
        await cache.stop();
        expect(cache.caching).toBe(false);
      });

      it('remembers an answer for maxAgeMs at most', async () => {
        let now = 1_000_000;
        const cache = new RevocationCache(bus, { maxAgeMs: 1000, now: () => now });
        await cache.start();
        expect(await cache.isRevoked(12, 100)).toBe(false);
        await silently(12, 1000);
        now += 999;
        expect(await cache.isRevoked(12, 100)).toBe(false);
        now += 1;
        expect(await cache.isRevoked(12, 100)).toBe(true);
        await cache.stop();
      });
    });
  });
}
