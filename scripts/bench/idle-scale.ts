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
import { bySystem, type Comparison } from './report';

export interface IdleScaleFigures {
  system: System;
  counts: number[];
  rss: number[];
  /** Bytes per connection between counts[i] and counts[i + 1]. */
  perConnection: number[];
  clientProcesses: number;
  connectSeconds: number[];
  /** Where the nodes' RSS is at each count (summed over the nodes). */
  memory: NodeMemory[];
}

/** A node's `process.memoryUsage()` after a GC, with its V8 heap spaces (committed, used). */
export interface NodeMemory {
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  spaces: Record<string, { committed: number; used: number }>;
}

function sumMemory(all: NodeMemory[]): NodeMemory {
  const out: NodeMemory = { rss: 0, heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0, spaces: {} };
  for (const m of all) {
    for (const k of ['rss', 'heapTotal', 'heapUsed', 'external', 'arrayBuffers'] as const) out[k] += m[k];
    for (const [name, s] of Object.entries(m.spaces ?? {})) {
      const t = (out.spaces[name] ??= { committed: 0, used: 0 });
      t.committed += s.committed;
      t.used += s.used;
    }
  }
  return out;
}

const mib = (b: number) => (b / 2 ** 20).toFixed(1);

/** One line: RSS, heap committed / used, new and old space committed, off-heap. */
export function describeMemory(m: NodeMemory): string {
  const space = (n: string) => mib(m.spaces[n]?.committed ?? 0);
  const oldUsed = mib(m.spaces['old_space']?.used ?? 0);
  return `RSS ${mib(m.rss)} MB (heap committed ${mib(m.heapTotal)}, used ${mib(m.heapUsed)}; new ${space('new_space')}, old ${space('old_space')} (used ${oldUsed}); external ${mib(m.external)}, array buffers ${mib(m.arrayBuffers)}; outside the heap ${mib(m.rss - m.heapTotal)})`;
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
    const memoryOf = async () =>
      sumMemory(await Promise.all(nodes.map((n) => n.ask<NodeMemory>('memory', 'memory'))));
    const rss: number[] = [];
    const memory: NodeMemory[] = [];
    const connectSeconds: number[] = [];
    for (const count of o.counts) {
      const t0 = performance.now();
      const held = await Promise.all(
        clients.map((c, p) => connectTo(c, Math.max(1, share(count, p)), 600_000)),
      );
      connectSeconds.push((performance.now() - t0) / 1000);
      // BENCH_IDLE_SETTLE_MS: how long the sockets stay idle before the figure (default 1 s).
      await sleep(Number(process.env['BENCH_IDLE_SETTLE_MS'] ?? 1000));
      memory.push(await memoryOf());
      rss.push(memory.at(-1)!.rss);
      const total = held.reduce((s, x) => s + x, 0);
      o.log(
        `  ${system}: ${total} sockets over ${processes} client processes in ${connectSeconds.at(-1)!.toFixed(1)} s, nodes ${describeMemory(memory.at(-1)!)}`,
      );
      if (total < count) throw new Error(`${system}: ${total} of ${count} sockets connected`);
    }
    const perConnection = o.counts.slice(1).map((c, i) => (rss[i + 1]! - rss[i]!) / (c - o.counts[i]!));
    return {
      system,
      counts: o.counts,
      rss,
      perConnection,
      clientProcesses: processes,
      connectSeconds,
      memory,
    };
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

export function idleScaleComparisons(runs: IdleScaleFigures[]): Comparison[] {
  const counts = runs[0]?.counts ?? [];
  const kib = (f: (r: IdleScaleFigures) => number) => bySystem(runs, (r) => f(r) / 1024);
  const row = (figure: string, v: ReturnType<typeof kib>): Comparison => ({
    scenario: 'idle',
    figure,
    unit: 'KiB',
    ...v,
    goal: '≤ 6 KiB',
    met: v.ours <= 6,
  });
  const rows = counts.slice(1).map((c, i) =>
    row(
      `idle logged-in sockets: node RSS per connection (${counts[i]} → ${c})`,
      kib((r) => r.perConnection[i]!),
    ),
  );
  if (counts.length > 2)
    rows.push(
      row(
        `same, ${counts[0]} → ${counts.at(-1)}`,
        kib((r) => (r.rss.at(-1)! - r.rss[0]!) / (r.counts.at(-1)! - r.counts[0]!)),
      ),
    );
  return rows;
}
