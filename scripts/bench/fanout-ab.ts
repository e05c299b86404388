/**
 * A/B of our fan-out (2 push nodes and a pusher via Redis, `runFanout('ours')`) between two
 * builds, or one build under two settings, in alternating rounds of one run: on a machine
 * shared with other work only such ratios mean anything. Each tree runs its own compiled
 * packages (`npm run build:backend` in both first).
 *
 *   npx tsx scripts/bench/fanout-ab.ts --a=/work/wt/base --rounds=4 --messages=1000
 *   npx tsx scripts/bench/fanout-ab.ts --env-a=BENCH_COMPACT_JOBS=0 --env-b=BENCH_COMPACT_JOBS=1
 *
 * Prints, per round and as medians, CPU µs per delivery of the pusher, of the push nodes and
 * of nodes + pusher + Redis, deliveries/s and the load average.
 */
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { FanoutFigures, FanoutOptions, runFanout as RunFanout } from './fanout';

const { values } = parseArgs({
  options: Object.fromEntries(
    ['a', 'b', 'env-a', 'env-b', 'rounds', 'members', 'messages', 'in-flight'].map((name) => [
      name,
      { type: 'string' as const },
    ]),
  ),
});
const arg = (name: string, fallback: string) => values[name] ?? fallback;
const here = resolve(import.meta.dirname, '../..');
/** `NAME=value,NAME=value` → an environment to add. */
const envOf = (name: string): Record<string, string> => {
  const env: Record<string, string> = {};
  for (const pair of arg(name, '').split(',')) {
    const at = pair.indexOf('=');
    if (at > 0) env[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return env;
};
const variants = [
  { name: 'A', dir: resolve(arg('a', here)), env: envOf('env-a') },
  { name: 'B', dir: resolve(arg('b', here)), env: envOf('env-b') },
];
const rounds = Number(arg('rounds', '3'));
const options: FanoutOptions = {
  redisUrl: process.env['IM_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379',
  members: Number(arg('members', '500')),
  messages: Number(arg('messages', '1000')),
  inFlight: Number(arg('in-flight', '10')),
};

interface Row {
  pusher: number;
  nodes: number;
  total: number;
  rate: number;
}
const rowOf = (f: FanoutFigures): Row => ({
  pusher: (f.pusherCpuShare * f.seconds * 1e6) / f.deliveries,
  nodes: f.nodeCpuPerDelivery,
  total: f.totalCpuPerDelivery,
  rate: f.perSecond,
});
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const show = (r: Row) =>
  `pusher ${r.pusher.toFixed(2)} µs, nodes ${r.nodes.toFixed(2)} µs, total ${r.total.toFixed(2)} µs, ${Math.round(r.rate)}/s`;

const rows = new Map<string, Row[]>(variants.map((v) => [v.name, []]));
for (let round = 0; round < rounds; round++) {
  for (const v of round % 2 === 0 ? variants : [...variants].reverse()) {
    const saved = { ...process.env };
    Object.assign(process.env, v.env);
    try {
      const { runFanout } = (await import(resolve(v.dir, 'scripts/bench/fanout.ts'))) as {
        runFanout: typeof RunFanout;
      };
      const row = rowOf(await runFanout('ours', options));
      rows.get(v.name)!.push(row);
      console.log(`round ${round + 1} ${v.name}: ${show(row)} (load ${loadavg()[0]!.toFixed(1)})`);
    } finally {
      process.env = saved;
    }
  }
}
const med = (name: string): Row => {
  const list = rows.get(name)!;
  return {
    pusher: median(list.map((r) => r.pusher)),
    nodes: median(list.map((r) => r.nodes)),
    total: median(list.map((r) => r.total)),
    rate: median(list.map((r) => r.rate)),
  };
};
const [a, b] = [med('A'), med('B')];
console.log(`median A: ${show(a)}`);
console.log(`median B: ${show(b)}`);
console.log(
  `B/A: pusher ${(b.pusher / a.pusher).toFixed(2)}, nodes ${(b.nodes / a.nodes).toFixed(2)}, total ${(b.total / a.total).toFixed(2)}, rate ${(b.rate / a.rate).toFixed(2)}`,
);
