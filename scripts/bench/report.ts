/** Flags, the comparison table and bench/results/latest.json of `npm run bench`. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg as osLoadavg, totalmem } from 'node:os';
import { resolve } from 'node:path';
import type { StormFigures } from './connections';
import type { FanoutFigures, System } from './fanout';
import type { PersistedFigures } from './persisted';

export const SCENARIOS = [
  'micro',
  'fanout',
  'fanmix',
  'idle',
  'storm',
  'persisted',
  'pgroup',
  'catchup',
  'backlog',
  'classic',
] as const;
/** The default: what fits in a few minutes. */
const QUICK = ['micro', 'fanout', 'persisted'];

export const REDIS_URL = process.env['IM_BENCH_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** `--only=fanout,idle` (or `--all`); default the quick set. Unknown names are refused. */
export function scenarioFlags(argv: string[]): Set<string> {
  if (argv.includes('--all')) return new Set(SCENARIOS);
  const only = flag('only');
  const names = only ? only.split(',') : QUICK;
  for (const n of names)
    if (!(SCENARIOS as readonly string[]).includes(n))
      throw new Error(`unknown scenario ${n}; known: ${SCENARIOS.join(', ')}`);
  return new Set(names);
}

export function flag(name: string): string | undefined {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  return arg?.slice(name.length + 3);
}

export function flagNumber(name: string, fallback: number): number {
  const v = Number(flag(name));
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

export const loadavg = () => osLoadavg().map((x) => Math.round(x * 100) / 100);

/**
 * Runs the three systems in turn, `rounds` times, alternating (ours, Socket.IO, bare ws);
 * `--systems=ours` runs only those named.
 */
export async function alternateSystems<T>(
  run: (s: System) => Promise<T>,
  rounds: number,
): Promise<(T & { load: number[] })[]> {
  const out: (T & { load: number[] })[] = [];
  const named = flag('systems')?.split(',');
  const systems = (['ours', 'sio', 'ws'] as const).filter((s) => !named || named.includes(s));
  for (let r = 0; r < rounds; r++)
    for (const s of systems) {
      const load = loadavg();
      out.push({ ...(await run(s)), load });
      process.stdout.write(`  ${s} round ${r + 1} done (load ${load.join(' ')})\n`);
    }
  return out;
}

/** Lowest and highest value of a figure over the rounds. */
export type Spread = [min: number, max: number];

export interface Comparison {
  scenario: string;
  figure: string;
  unit: string;
  /** Medians over the rounds. */
  ours: number;
  sio?: number;
  ws?: number;
  /** Per system, the spread over the rounds its median comes from (absent for one round). */
  spread?: Partial<Record<System, Spread>>;
  goal: string;
  met?: boolean;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const spreadOf = (xs: number[]): Spread | undefined =>
  xs.length > 1 ? [Math.min(...xs), Math.max(...xs)] : undefined;

/** Median and spread of one figure over rounds of our system alone (pgroup, catch-up, backlog). */
export function overRounds<T>(runs: T[], pick: (r: T) => number): Pick<Comparison, 'ours' | 'spread'> {
  const xs = runs.map(pick);
  const spread = spreadOf(xs);
  return { ours: median(xs), ...(spread ? { spread: { ours: spread } } : {}) };
}

/** Per system: the median of a figure over its rounds, and the spread (min–max). */
export function bySystem<T extends { system: System }>(
  runs: T[],
  pick: (r: T) => number,
): Record<System, number> & { spread: Partial<Record<System, Spread>> } {
  const values = (s: System) => runs.filter((r) => r.system === s).map(pick);
  const spread: Partial<Record<System, Spread>> = {};
  for (const s of ['ours', 'sio', 'ws'] as const) {
    const range = spreadOf(values(s));
    if (range) spread[s] = range;
  }
  return { ours: median(values('ours')), sio: median(values('sio')), ws: median(values('ws')), spread };
}

export function fanoutComparisons(runs: FanoutFigures[]): Comparison[] {
  const rate = bySystem(runs, (r) => r.perSecond);
  const p50 = bySystem(runs, (r) => r.p50);
  const p99 = bySystem(runs, (r) => r.p99);
  const node = bySystem(runs, (r) => r.nodeCpuPerDelivery);
  const total = bySystem(runs, (r) => r.totalCpuPerDelivery);
  const share = bySystem(runs, (r) => r.pusherCpuShare * 100);
  const pusherPer = bySystem(runs, (r) => (r.pusherCpuShare * r.seconds * 1e6) / r.deliveries);
  return [
    {
      scenario: 'fanout',
      figure: 'deliveries/s',
      unit: '/s',
      ...rate,
      goal: '≥ 0.95× bare ws',
      met: rate.ours >= 0.95 * rate.ws,
    },
    {
      scenario: 'fanout',
      figure: 'latency p50',
      unit: 'ms',
      ...p50,
      goal: '≤ Socket.IO',
      met: p50.ours <= p50.sio,
    },
    {
      scenario: 'fanout',
      figure: 'latency p99',
      unit: 'ms',
      ...p99,
      goal: '≤ Socket.IO',
      met: p99.ours <= p99.sio,
    },
    {
      scenario: 'fanout',
      figure: 'CPU µs/delivery, nodes',
      unit: 'µs',
      ...node,
      goal: '≤ Socket.IO',
      met: node.ours <= node.sio,
    },
    {
      scenario: 'fanout',
      figure: 'CPU µs/delivery, nodes + pusher + Redis',
      unit: 'µs',
      ...total,
      goal: '≤ 1.1× bare ws',
      met: total.ours <= 1.1 * total.ws,
    },
    {
      scenario: 'fanout',
      figure: 'pusher CPU (% of a core)',
      unit: '%',
      ...share,
      ws: undefined,
      goal: '≤ 1.5× Socket.IO',
      met: share.ours <= 1.5 * share.sio,
    },
    {
      // The same goal per delivery: independent of how long the run took on a loaded machine.
      scenario: 'fanout',
      figure: 'pusher CPU µs/delivery',
      unit: 'µs',
      ...pusherPer,
      ws: undefined,
      goal: '≤ 1.5× Socket.IO',
      met: pusherPer.ours <= 1.5 * pusherPer.sio,
    },
  ];
}

export function stormComparisons(runs: StormFigures[]): Comparison[] {
  const ms = bySystem(runs, (r) => r.ms);
  const failed = bySystem(runs, (r) => r.failed);
  return [
    {
      scenario: 'storm',
      figure: `${runs[0]?.clients} dropped at once: all logged in again`,
      unit: 'ms',
      ...ms,
      goal: '≤ 1.2× bare ws',
      met: ms.ours <= 1.2 * ms.ws,
    },
    {
      scenario: 'storm',
      figure: 'node CPU per login during the storm',
      unit: 'µs',
      ...bySystem(runs, (r) => r.nodeCpuMicrosPerLogin),
      goal: '–',
      met: true,
    },
    {
      scenario: 'storm',
      figure: 'clients never back',
      unit: '',
      ...failed,
      goal: '0',
      met: failed.ours === 0,
    },
  ];
}

export function persistedComparisons(f: PersistedFigures, label = ''): Comparison[] {
  const c = f.closedLoop;
  const out: Comparison[] = [
    {
      scenario: `persisted${label}`,
      figure: `max sustained (${c.inFlight} in flight${c.senders > 1 ? `, ${c.senders} senders` : ''})`,
      unit: 'msg/s',
      ours: c.perSecond,
      goal: '≥ 2000',
      met: c.perSecond >= 2000,
    },
    {
      scenario: `persisted${label}`,
      figure: `same, p99 (p50 ${c.p50.toFixed(1)} ms)`,
      unit: 'ms',
      ours: c.p99,
      goal: 'p99 ≤ 200',
      met: c.p99 <= 200,
    },
    {
      scenario: `persisted${label}`,
      figure:
        c.servicesCpuPerMessage === undefined
          ? 'server CPU per message'
          : `server CPU per message (DB + Redis ${c.servicesCpuPerMessage.toFixed(0)} µs more)`,
      unit: 'µs',
      ours: c.serverCpuPerMessage,
      goal: '≤ 500 (2,000/s on one core)',
      met: c.serverCpuPerMessage <= 500,
    },
  ];
  for (const o of f.openLoop) {
    const goal = o.offered <= 250 ? 20 : 50;
    out.push({
      scenario: `persisted${label}`,
      figure: `${o.offered} msg/s offered: p99 (p50 ${o.p50.toFixed(1)} ms, ${o.perSecond.toFixed(0)}/s delivered, ${o.lost} lost)`,
      unit: 'ms',
      ours: o.p99,
      goal: `p99 ≤ ${goal}`,
      met: o.p99 <= goal && o.lost === 0,
    });
  }
  return out;
}

const num = (v: number) => String(Math.abs(v) >= 100 ? Math.round(v) : Math.round(v * 10) / 10);
/** A median with its spread over the rounds: `42.9 ms (40.1–45)`. */
const fmt = (v: number | undefined, unit: string, spread?: Spread) =>
  v === undefined || Number.isNaN(v)
    ? '–'
    : `${num(v)} ${unit}`.trim() + (spread ? ` (${num(spread[0])}–${num(spread[1])})` : '');
const ratio = (a: number, b: number | undefined) => (b === undefined || !b ? '–' : `${(a / b).toFixed(2)}×`);

export function comparisonRow(c: Comparison): string {
  const cell = (s: System) => fmt(c[s], c.unit, c.spread?.[s]);
  return `| ${c.scenario} | ${c.figure} | ${cell('ours')} | ${cell('sio')} | ${cell('ws')} | ${ratio(c.ours, c.sio)} | ${ratio(c.ours, c.ws)} | ${c.goal} | ${c.met === undefined ? '–' : c.met ? 'yes' : '**no**'} |`;
}

export function writeResults(body: Record<string, unknown>): void {
  const dir = resolve(import.meta.dirname, '../../bench/results');
  mkdirSync(dir, { recursive: true });
  const machine = {
    cpus: cpus().length,
    model: cpus()[0]?.model,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  };
  writeFileSync(
    resolve(dir, 'latest.json'),
    `${JSON.stringify({ date: new Date().toISOString(), machine, loadAtEnd: loadavg(), ...body }, null, 2)}\n`,
  );
}
