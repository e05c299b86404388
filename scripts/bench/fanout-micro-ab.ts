/**
 * The pusher alone, A/B in one process: IMClient group pushes (500 members online on terminal
 * 0, split over push nodes 1 and 2 that advertise compact jobs, route cache on) from two builds
 * (each its own `dist`: `npm run build:backend` in both first), in alternating samples. Per
 * push: this process's CPU (the pusher's) and Redis's (INFO cpu), so that work moved into
 * Redis is counted. No push node consumes; the queues are emptied between samples.
 *
 *   npx tsx scripts/bench/fanout-micro-ab.ts --a=/work/wt/base --samples=12 --pushes=300
 *
 * (`node --expose-gc --import tsx …` collects garbage before each sample.)
 */
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createClient } from 'redis';

const { values } = parseArgs({
  options: Object.fromEntries(
    ['a', 'b', 'samples', 'pushes', 'in-flight', 'members'].map((name) => [
      name,
      { type: 'string' as const },
    ]),
  ),
});
const arg = (name: string, fallback: string) => values[name] ?? fallback;
const here = resolve(import.meta.dirname, '../..');
const url = process.env['IM_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const samples = Number(arg('samples', '12'));
const pushes = Number(arg('pushes', '300'));
const inFlight = Number(arg('in-flight', '10'));
const members = Array.from({ length: Number(arg('members', '500')) }, (_, i) => 10_000 + i);

/** The parts of a build's packages used here (loaded from its `dist`). */
interface Build {
  RedisBus: {
    connect(o: { url: string; keyPrefix: string }): Promise<BusLike>;
    dropKeyspace(url: string, prefix: string): Promise<void>;
  };
  IMClient: new (o: { bus: BusLike; appName: string }) => ClientLike;
  RedisKey: { userServerId(id: number, t: number): string; serverAlive(id: number): string };
  RedisKeyQueue: (node: number) => string;
  alive: string;
}
interface BusLike {
  set(k: string, v: string, o: { ttlMs: number }): Promise<boolean>;
  del(k: string): Promise<boolean>;
  close(): Promise<void>;
}
interface ClientLike {
  start(): void;
  stop(): Promise<void>;
  readonly routeCacheEnabled: boolean;
  sendGroupMessage(m: {
    sender: { id: number; terminal: number };
    recvIds: number[];
    sendResult: boolean;
    data: unknown;
  }): Promise<void>;
}

async function load(dir: string): Promise<Build> {
  const pkg = (name: string) => import(resolve(dir, `packages/${name}/dist/index.js`));
  const [bus, client, common] = await Promise.all([pkg('im-bus'), pkg('im-client'), pkg('im-common')]);
  return {
    RedisBus: bus.RedisBus,
    IMClient: client.IMClient,
    RedisKey: common.RedisKey,
    RedisKeyQueue: (node) => common.RedisKey.groupMessageQueue(node),
    alive: common.aliveValue(Date.now(), [common.PushNodeCapability.COMPACT_JOBS]),
  };
}

const redis = createClient({ url });
await redis.connect();
const redisCpu = async () => {
  const info = await redis.info('cpu');
  const field = (n: string) => Number(new RegExp(`${n}:([\\d.]+)`).exec(info)?.[1] ?? 0);
  return (field('used_cpu_sys') + field('used_cpu_user')) * 1e6;
};

interface Variant {
  name: string;
  prefix: string;
  bus: BusLike;
  client: ClientLike;
  queues: string[];
  rows: { pusher: number; redis: number }[];
}
const variants: Variant[] = [];
for (const name of ['a', 'b']) {
  const build = await load(resolve(arg(name, here)));
  const prefix = `im-bench:${randomUUID()}:`;
  const bus = await build.RedisBus.connect({ url, keyPrefix: prefix });
  for (const [i, id] of members.entries())
    await bus.set(build.RedisKey.userServerId(id, 0), String(1 + (i % 2)), { ttlMs: 3_600_000 });
  for (const node of [1, 2])
    await bus.set(build.RedisKey.serverAlive(node), build.alive, { ttlMs: 3_600_000 });
  const client = new build.IMClient({ bus, appName: 'bench' });
  client.start();
  while (!client.routeCacheEnabled) await new Promise((r) => setTimeout(r, 10));
  const queues = [1, 2].map(build.RedisKeyQueue);
  variants.push({ name: name.toUpperCase(), prefix, bus, client, queues, rows: [] });
}

/** `pushes` group pushes, `inFlight` at a time; CPU µs per push of this process and of Redis. */
async function sample(v: Variant, counter: { i: number }) {
  (globalThis as { gc?: () => void }).gc?.();
  const redis0 = await redisCpu();
  const cpu0 = process.cpuUsage();
  let next = 0;
  const worker = async () => {
    while (next < pushes) {
      next++;
      await v.client.sendGroupMessage({
        sender: { id: 1, terminal: 0 },
        recvIds: members,
        sendResult: false,
        data: { i: counter.i++, t: Date.now(), content: 'fan-out bench message' },
      });
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  const cpu = process.cpuUsage(cpu0);
  const redis = (await redisCpu()) - redis0;
  for (const q of v.queues) await v.bus.del(q);
  return { pusher: (cpu.user + cpu.system) / pushes, redis: redis / pushes };
}

const counter = { i: 0 };
try {
  for (const v of variants) await sample(v, counter); // warm-up
  for (let s = 0; s < samples; s++) {
    for (const v of s % 2 === 0 ? variants : [...variants].reverse()) {
      const row = await sample(v, counter);
      v.rows.push(row);
      console.log(
        `sample ${s + 1} ${v.name}: pusher ${row.pusher.toFixed(1)} µs/push, Redis ${row.redis.toFixed(1)} µs/push (load ${loadavg()[0]!.toFixed(1)})`,
      );
    }
  }
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor((xs.length - 1) / 2)]!;
  const [a, b] = variants as [Variant, Variant];
  for (const key of ['pusher', 'redis'] as const) {
    const ratios = a.rows.map((r, i) => b.rows[i]![key] / r[key]);
    const sum = (v: Variant) => v.rows.map((r) => r.pusher + r.redis);
    console.log(
      `${key}: A ${median(a.rows.map((r) => r[key])).toFixed(1)} µs, B ${median(b.rows.map((r) => r[key])).toFixed(1)} µs; ` +
        `B/A per sample median ${median(ratios).toFixed(3)} (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}), B lower in ${ratios.filter((r) => r < 1).length}/${ratios.length}` +
        (key === 'redis'
          ? `; pusher + Redis: A ${median(sum(a)).toFixed(1)}, B ${median(sum(b)).toFixed(1)} µs/push, B/A per sample median ${median(a.rows.map((_, i) => sum(b)[i]! / sum(a)[i]!)).toFixed(3)}`
          : ''),
    );
  }
} finally {
  for (const v of variants) {
    await v.client.stop();
    await v.bus.close();
  }
  const build = await load(resolve(arg('a', here)));
  for (const v of variants) await build.RedisBus.dropKeyspace(url, v.prefix);
  await redis.close();
}
