/**
 * The pusher's fan-out work alone, A/B of two builds in one process, hot or with cold CPU
 * caches: IMClient group pushes to 500 members (online on terminal 0, split over push nodes 1
 * and 2, route cache on) over a memory bus, one at a time. `--cold` touches 16 MB between
 * pushes, as the bench's other processes do while the pusher sleeps between pushes; each
 * push's wall time is summed (no I/O: it is the push's CPU, unless the OS preempts it), so the
 * touching is not counted. Without `--cold`, the process's CPU per push.
 *
 *   npx tsx scripts/bench/fanout-cold-ab.ts --a=/work/wt/base --samples=20 --pushes=200 --cold
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    a: { type: 'string' },
    b: { type: 'string' },
    samples: { type: 'string' },
    pushes: { type: 'string' },
    cold: { type: 'boolean' },
  },
});
const here = resolve(import.meta.dirname, '../..');
const samples = Number(values.samples ?? '10');
const pushes = Number(values.pushes ?? '1000');
const members = Array.from({ length: 500 }, (_, i) => 10_000 + i);
const junk = new Int32Array(4 * 1024 * 1024);

interface Variant {
  client: {
    start(): void;
    stop(): Promise<void>;
    readonly routeCacheEnabled: boolean;
    sendGroupMessage(m: object): Promise<void>;
  };
  bus: { del(k: string): Promise<boolean>; close(): Promise<void> };
  queues: string[];
  rows: number[];
}

async function make(dir: string): Promise<Variant> {
  const pkg = (name: string) => import(resolve(dir, `packages/${name}/dist/index.js`));
  const [b, c, m] = await Promise.all([pkg('im-bus'), pkg('im-client'), pkg('im-common')]);
  const bus = new b.MemoryBus();
  const forever = { ttlMs: 3_600_000 };
  for (const [i, id] of members.entries())
    await bus.set(m.RedisKey.userServerId(id, 0), String(1 + (i % 2)), forever);
  const alive = m.aliveValue(Date.now(), [m.PushNodeCapability.COMPACT_JOBS]);
  for (const node of [1, 2]) await bus.set(m.RedisKey.serverAlive(node), alive, forever);
  const client = new c.IMClient({ bus, appName: 'bench' });
  client.start();
  while (!client.routeCacheEnabled) await new Promise((r) => setTimeout(r, 5));
  return { client, bus, queues: [1, 2].map((n) => m.RedisKey.groupMessageQueue(n)), rows: [] };
}

let counter = 0;
async function sample(v: Variant): Promise<number> {
  (globalThis as { gc?: () => void }).gc?.();
  let spent = 0n;
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < pushes; i++) {
    if (values.cold) for (let j = 0; j < junk.length; j += 16) junk[j]!++;
    const t0 = process.hrtime.bigint();
    await v.client.sendGroupMessage({
      sender: { id: 1, terminal: 0 },
      recvIds: [...members],
      sendResult: false,
      data: { i: counter++, t: Date.now(), content: 'fan-out bench message' },
    });
    spent += process.hrtime.bigint() - t0;
  }
  const cpu = process.cpuUsage(cpu0);
  for (const q of v.queues) await v.bus.del(q);
  return values.cold ? Number(spent) / 1000 / pushes : (cpu.user + cpu.system) / pushes;
}

const variants = [await make(resolve(values.a ?? here)), await make(resolve(values.b ?? here))];
for (const v of variants) await sample(v);
for (let s = 0; s < samples; s++)
  for (const v of s % 2 === 0 ? variants : [...variants].reverse()) v.rows.push(await sample(v));
const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor((xs.length - 1) / 2)]!;
const [a, b] = variants as [Variant, Variant];
const ratios = a.rows.map((r, i) => b.rows[i]! / r);
console.log(
  `${values.cold ? 'cold, wall' : 'hot, CPU'} µs per push: A ${median(a.rows).toFixed(1)}, B ${median(b.rows).toFixed(1)}; ` +
    `B/A per sample median ${median(ratios).toFixed(3)} (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}), ` +
    `B lower in ${ratios.filter((r) => r < 1).length}/${ratios.length}`,
);
for (const v of variants) {
  await v.client.stop();
  await v.bus.close();
}
