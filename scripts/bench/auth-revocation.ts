/**
 * What the token-revocation check costs on the HTTP hot path (issue 15 review): every
 * authenticated request reads the user's marker from the bus beside the user row. CPU of the
 * platform process per operation (`process.cpuUsage`, robust to a loaded machine), median of
 * alternating rounds:
 * - the marker read alone: from the Redis bus (one GET round trip), from the in-process bus,
 *   and remembered by `RevocationCache` (kept current by bus notices);
 * - a whole authenticated request (`GET /api/user/self` through Fastify's inject, SQLite in
 *   memory, Redis bus) with the marker read from Redis each time and remembered.
 *
 *   IM_TEST_REDIS_URL=redis://127.0.0.1:6379 node --conditions=source --import tsx scripts/bench/auth-revocation.ts
 */
import { randomUUID } from 'node:crypto';
import { MemoryBus, RedisBus, RevocationCache, TokenRevocations } from '@box-im/im-bus';
import { startTestApp } from '@box-im/im-platform/testing';

const url = process.env['IM_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

async function cpuPer(n: number, op: (i: number) => Promise<unknown>): Promise<number> {
  const start = process.cpuUsage();
  for (let i = 0; i < n; i++) await op(i);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / n;
}

async function alternate(rounds: number, variants: Record<string, () => Promise<number>>) {
  const samples: Record<string, number[]> = {};
  for (const run of Object.values(variants)) await run();
  for (let r = 0; r < rounds; r++)
    for (const [name, run] of Object.entries(variants)) (samples[name] ??= []).push(await run());
  return Object.fromEntries(
    Object.entries(samples).map(([k, xs]) => [k, [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!]),
  );
}

const keyPrefix = `im-bench:${randomUUID()}:`;
const redis = await RedisBus.connect({ url, keyPrefix });
const memory = new MemoryBus();
const onRedis = new TokenRevocations(redis);
const inMemory = new TokenRevocations(memory);
await onRedis.revoke(7, Date.now() - 1000, 60_000);
await inMemory.revoke(7, Date.now() - 1000, 60_000);
const cache = new RevocationCache(redis);
await cache.start();
const read = await alternate(5, {
  'marker read, Redis bus': () => cpuPer(5000, (i) => onRedis.isRevoked(i % 2 ? 7 : 8, Date.now())),
  'marker read, memory bus': () => cpuPer(5000, (i) => inMemory.isRevoked(i % 2 ? 7 : 8, Date.now())),
  'marker remembered (RevocationCache over Redis)': () =>
    cpuPer(5000, (i) => cache.isRevoked(i % 2 ? 7 : 8, Date.now())),
});
await cache.stop();

const t = await startTestApp({ redis: true });
const user = await t.newUser('bench');
const { revocations } = t.running.ctx.services;
const remembered = revocations.isRevoked.bind(revocations);
const fromStore = new TokenRevocations(t.running.ctx.bus);
const request = () => cpuPer(2000, () => user.api.get('/user/self'));
const http = await alternate(5, {
  'GET /api/user/self, marker read from Redis': () => {
    revocations.isRevoked = (userId, issuedAtMs) => fromStore.isRevoked(userId, issuedAtMs);
    return request();
  },
  'GET /api/user/self, marker remembered': () => {
    revocations.isRevoked = remembered;
    return request();
  },
});
revocations.isRevoked = remembered;
for (const [name, micros] of Object.entries({ ...read, ...http }))
  console.log(`${name}: ${micros.toFixed(1)} µs CPU/op`);

await t.close();
await memory.close();
await redis.close();
await RedisBus.dropKeyspace(url, keyPrefix);
