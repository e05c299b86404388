/**
 * Scenario (1) of issue 13 at the scale: idle logged-in sockets at 2,000 → 10,000 →
 * 19,000 (the hard open-file limit here is 20,000 per process). The client sockets are spread over
 * several `clients` processes of fanout-roles.ts (each with its own open-file limit), so only the
 * server side holds every connection: 2 push nodes for ours and Socket.IO, 1 process for bare ws
 * (19,000 sockets + its listener fit under 20,000). Figures: summed RSS of the node processes
 * after a GC at each count, and RSS per connection between consecutive counts.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { RedisBus } from '@box-im/im-bus';
import { spawn, stopChild, token, tokensFile, SECRET, type Child, type System } from './fanout';
import type { Comparison } from './report';

export interface IdleScaleFigures {
  system: System;
  counts: number[];
  rss: number[];
  /** Bytes per connection between counts[i] and counts[i + 1]. */
  perConnection: number[];
  clientProcesses: number;
  connectSeconds: number[];
}

/** Soft and hard open-file limits of processes started from here (forked children inherit them). */
export function openFileLimits(): { soft: number; hard: number } {
  const read = (f: string) =>
    Number(
      execFileSync('sh', ['-c', `ulimit ${f}`])
        .toString()
        .trim(),
    );
  return { soft: read('-Sn'), hard: read('-Hn') };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const stop = (c: Child) => stopChild(c, 10_000);

/** Asks one clients process to hold `to` sockets; bounded by `timeoutMs`. */
function connectTo(c: Child, to: number, timeoutMs: number): Promise<number> {
  return new Promise((ok, fail) => {
    const timer = setTimeout(
      () => fail(new Error(`clients: not at ${to} sockets in ${timeoutMs} ms`)),
      timeoutMs,
    );
    const on = (m: { kind: string; count?: number }) => {
      if (m.kind !== 'connected') return;
      clearTimeout(timer);
      c.proc.off('message', on);
      ok(m.count ?? 0);
    };
    c.proc.on('message', on);
    c.proc.send({ kind: 'connect', to });
  });
}

export async function runIdleScale(
  system: System,
  o: { redisUrl: string; counts: number[]; perProcess: number; log: (line: string) => void },
): Promise<IdleScaleFigures> {
  const max = Math.max(...o.counts);
  const processes = Math.max(1, Math.ceil(max / o.perProcess));
  const keyPrefix = `im-bench:${randomUUID()}:`;
  const env = { BENCH_SECRET: SECRET, BENCH_REDIS_URL: o.redisUrl, BENCH_KEY_PREFIX: keyPrefix };
  const tokens = await Promise.all(Array.from({ length: max }, (_, i) => token(10_000 + i)));
  // Process p holds the tokens i with i % processes === p: at count c it holds ceil((c - p) / processes).
  const share = (c: number, p: number) => Math.max(0, Math.ceil((c - p) / processes));
  const children: Child[] = [];
  try {
    const nodes: Child[] = [];
    const role = system === 'ours' ? 'ours-node' : system === 'sio' ? 'sio-node' : 'ws-server';
    for (let i = 0; i < (system === 'ws' ? 1 : 2); i++) nodes.push(await spawn(role, env));
    children.push(...nodes);
    const urls = JSON.stringify(nodes.map((n) => n.ready['url']));
    const clients: Child[] = [];
    for (let p = 0; p < processes; p++) {
      const mine = tokens.filter((_, i) => i % processes === p);
      // BENCH_CONNECT_FIRST=0 is read as "all": connect nothing at start by asking for 1 and
      // counting it in the first step instead.
      clients.push(
        await spawn('clients', {
          ...env,
          BENCH_SYSTEM: system,
          BENCH_URLS: urls,
          BENCH_TOKENS_FILE: tokensFile(mine),
          BENCH_CONNECT_FIRST: '1',
        }),
      );
    }
    children.push(...clients);
    const rssOf = async () => {
      const all = await Promise.all(nodes.map((n) => n.ask<{ rss: number }>('memory', 'memory')));
      return all.reduce((s, x) => s + x.rss, 0);
    };
    const rss: number[] = [];
    const connectSeconds: number[] = [];
    for (const count of o.counts) {
      const t0 = performance.now();
      const held = await Promise.all(
        clients.map((c, p) => connectTo(c, Math.max(1, share(count, p)), 600_000)),
      );
      connectSeconds.push((performance.now() - t0) / 1000);
      await sleep(1000);
      rss.push(await rssOf());
      const total = held.reduce((s, x) => s + x, 0);
      o.log(
        `  ${system}: ${total} sockets over ${processes} client processes in ${connectSeconds.at(-1)!.toFixed(1)} s, nodes RSS ${(rss.at(-1)! / 2 ** 20).toFixed(1)} MB`,
      );
      if (total < count) throw new Error(`${system}: ${total} of ${count} sockets connected`);
    }
    const perConnection = o.counts.slice(1).map((c, i) => (rss[i + 1]! - rss[i]!) / (c - o.counts[i]!));
    return { system, counts: o.counts, rss, perConnection, clientProcesses: processes, connectSeconds };
  } finally {
    for (const c of children.reverse()) await stop(c);
    await dropKeys(o.redisUrl, keyPrefix);
  }
}

/**
 * The run's keys, dropped after the nodes stopped; on a loaded shared Redis the scan can time
 * out: one retry, then a warning (the route keys expire on their own TTL anyway).
 */
export async function dropKeys(redisUrl: string, keyPrefix: string): Promise<void> {
  for (let attempt = 1; attempt <= 2; attempt++) {
    try {
      return await RedisBus.dropKeyspace(redisUrl, keyPrefix);
    } catch (error) {
      if (attempt === 2) process.stdout.write(`  warning: ${keyPrefix}* not dropped: ${String(error)}\n`);
      else await sleep(2000);
    }
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

export function idleScaleComparisons(runs: IdleScaleFigures[]): Comparison[] {
  const counts = runs[0]?.counts ?? [];
  const of = (s: System, i: number) =>
    median(runs.filter((r) => r.system === s).map((r) => r.perConnection[i]!));
  const rows: Comparison[] = counts.slice(1).map((c, i) => ({
    scenario: 'idle',
    figure: `idle logged-in sockets: node RSS per connection (${counts[i]} → ${c})`,
    unit: 'KiB',
    ours: of('ours', i) / 1024,
    sio: of('sio', i) / 1024,
    ws: of('ws', i) / 1024,
    goal: '≤ 6 KiB',
    met: of('ours', i) / 1024 <= 6,
  }));
  if (counts.length > 2) {
    const whole = (s: System) =>
      median(
        runs
          .filter((r) => r.system === s)
          .map((r) => (r.rss.at(-1)! - r.rss[0]!) / (r.counts.at(-1)! - r.counts[0]!) / 1024),
      );
    rows.push({
      scenario: 'idle',
      figure: `same, ${counts[0]} → ${counts.at(-1)}`,
      unit: 'KiB',
      ours: whole('ours'),
      sio: whole('sio'),
      ws: whole('ws'),
      goal: '≤ 6 KiB',
      met: whole('ours') <= 6,
    });
  }
  return rows;
}
