/**
 * Scenarios (5) and (6) of issue 13 on the standalone server, both through the offline pull
 * (`GET /message/private/loadOfflineMessage?minId=…`, what box-im's clients call after a
 * reconnect):
 * - catch-up storm: `clients` users online, all dropped at once, `missed` messages sent to each
 *   while offline, then all reconnect at once and pull from the last id they had: time until
 *   every client holds every missed message; lost and duplicated counted per message;
 * - backlog: one user with `backlog` messages waiting pulls them in one request: time, and the
 *   server's peak RSS growth sampled every 20 ms during the pull.
 * The missed messages are real sends through the service (server-side, see server.ts `seed`),
 * so the setup does not spend minutes in HTTP.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type WebSocket from 'ws';
import { connect, mb, newUser } from './lib';
import { overRounds, type Comparison } from './report';

export interface SeedRequest {
  from: number;
  to: number[];
  perReceiver: number;
  prefix: string;
  concurrency: number;
}

export interface BacklogServer {
  url: string;
  seed(r: SeedRequest): Promise<void>;
  rss(): Promise<number>;
  connections(): Promise<number>;
}

export interface CatchUpFigures {
  clients: number;
  missed: number;
  ms: number;
  lost: number;
  duplicated: number;
  failedPulls: number;
}

export interface BacklogFigures {
  messages: number;
  pulled: number;
  ms: number;
  peakRssGrowthMb: number;
  seedSeconds: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Vo {
  id: number;
  type: number;
  content: string;
}

/** `n` calls, `size` at a time; with `log`, a progress line every 1,000. */
async function inBatches<T>(
  n: number,
  size: number,
  make: (i: number) => Promise<T>,
  log?: (line: string) => void,
): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < n; i += size) {
    out.push(...(await Promise.all(Array.from({ length: Math.min(size, n - i) }, (_, j) => make(i + j)))));
    if (log && Math.floor((i + size) / 1000) > Math.floor(i / 1000)) log(`  … ${Math.min(n, i + size)}/${n}`);
  }
  return out;
}

/** A catch-up round, after one of `warmupClients` clients (not measured: the server is warm). */
export async function catchUpScenario(
  server: BacklogServer,
  o: { clients: number; missed: number; warmupClients?: number },
  log: (line: string) => void,
): Promise<CatchUpFigures> {
  if (o.warmupClients) {
    log(`catch-up: warm-up round of ${o.warmupClients} clients (not measured)`);
    await catchUpRound(server, { clients: o.warmupClients, missed: o.missed }, () => undefined);
  }
  return catchUpRound(server, o, log);
}

async function catchUpRound(
  server: BacklogServer,
  o: { clients: number; missed: number },
  log: (line: string) => void,
): Promise<CatchUpFigures> {
  log(`catch-up: ${o.clients} clients, ${o.missed} messages missed each`);
  const sender = await newUser(server.url, 'cus');
  log('  users');
  const clients = await inBatches(o.clients, 20, (i) => newUser(server.url, `cu${i}`), log);
  log('  friendships');
  await inBatches(o.clients, 20, (i) => sender.api.post(`/friend/add?friendId=${clients[i]!.id}`), log);
  // Online first: each client's last known id is the highest it was pushed.
  const lastId = new Map<number, number>();
  log('  online');
  const sockets: WebSocket[] = await inBatches(
    o.clients,
    50,
    (i) => {
      const c = clients[i]!;
      return connect(server.url, c.token, (f) => {
        if (f.cmd === 3 && typeof f.data?.id === 'number')
          lastId.set(c.id, Math.max(lastId.get(c.id) ?? 0, f.data.id as number));
      });
    },
    log,
  );
  for (const ws of sockets) ws.terminate();
  const deadline = Date.now() + 30_000;
  while ((await server.connections()) > 0 && Date.now() < deadline) await sleep(50);
  log(`  seeding ${o.clients * o.missed} missed messages`);
  await server.seed({
    from: sender.id,
    to: clients.map((c) => c.id),
    perReceiver: o.missed,
    prefix: 'cu',
    concurrency: 50,
  });

  // The reconnecting clients live in load-generator processes of 1,000 (`catchup-clients.ts`),
  // started before the clock: each process holds its sockets and HTTP connections.
  const processes = Math.max(1, Math.ceil(o.clients / 1000));
  const children = await Promise.all(
    Array.from({ length: processes }, (_, p) =>
      forkClients(
        server.url,
        o.missed,
        clients
          .filter((_, i) => i % processes === p)
          .map((c) => ({ id: c.id, token: c.token, minId: lastId.get(c.id) ?? 0 })),
      ),
    ),
  );
  log(`catch-up: every client reconnects and pulls at once (${processes} client processes)`);
  const t0 = performance.now();
  let results: { lost: number; duplicated: number; failedPulls: number }[];
  try {
    results = await Promise.all(children.map((c) => c.go()));
  } finally {
    for (const c of children) c.stop();
  }
  const ms = performance.now() - t0;
  const sum = (k: 'lost' | 'duplicated' | 'failedPulls') => results.reduce((s, r) => s + r[k], 0);
  const [lost, duplicated, failedPulls] = [sum('lost'), sum('duplicated'), sum('failedPulls')];
  return { clients: o.clients, missed: o.missed, ms, lost, duplicated, failedPulls };
}

/** One catch-up load generator; `go` is bounded by 10 minutes. */
async function forkClients(
  url: string,
  missed: number,
  clients: { id: number; token: string; minId: number }[],
): Promise<{ go(): Promise<{ lost: number; duplicated: number; failedPulls: number }>; stop(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'im-bench-catchup-'));
  writeFileSync(join(dir, 'clients.json'), JSON.stringify(clients));
  const proc = fork(resolve(import.meta.dirname, 'catchup-clients.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: {
      ...process.env,
      BENCH_URL: url,
      BENCH_MISSED: String(missed),
      BENCH_CLIENTS_FILE: join(dir, 'clients.json'),
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const reply = <T>(kind: string, ms: number) =>
    new Promise<T>((ok, fail) => {
      const timer = setTimeout(() => fail(new Error(`catch-up clients: no ${kind} in ${ms} ms`)), ms);
      proc.on('message', (m: { kind: string }) => {
        if (m.kind !== kind) return;
        clearTimeout(timer);
        ok(m as T);
      });
      proc.once('exit', (code) => fail(new Error(`catch-up clients exited with ${code}`)));
    });
  await reply('ready', 120_000);
  return {
    go: () => {
      const result = reply<{ lost: number; duplicated: number; failedPulls: number }>('result', 600_000);
      proc.send({ kind: 'go' });
      return result;
    },
    stop: () => void proc.send({ kind: 'stop' }),
  };
}

/** A backlog pull, after one of `warmupMessages` by another user (not measured). */
export async function backlogScenario(
  server: BacklogServer,
  o: { messages: number; warmupMessages?: number },
  log: (line: string) => void,
): Promise<BacklogFigures> {
  if (o.warmupMessages) {
    log(`backlog: warm-up pull of ${o.warmupMessages} (not measured)`);
    await backlogRound(server, { messages: o.warmupMessages }, () => undefined);
  }
  return backlogRound(server, o, log);
}

async function backlogRound(
  server: BacklogServer,
  o: { messages: number },
  log: (line: string) => void,
): Promise<BacklogFigures> {
  log(`backlog: ${o.messages} messages to an offline user, then one pull`);
  const a = await newUser(server.url, 'bla');
  const b = await newUser(server.url, 'blb');
  await a.api.post(`/friend/add?friendId=${b.id}`);
  const s0 = performance.now();
  await server.seed({ from: a.id, to: [b.id], perReceiver: o.messages, prefix: 'bl', concurrency: 500 });
  const seedSeconds = (performance.now() - s0) / 1000;
  log(`  seeded in ${Math.round(seedSeconds)} s`);
  await sleep(500);
  const base = await server.rss();
  let peak = base;
  let pulling = true;
  const sampler = (async () => {
    while (pulling) {
      peak = Math.max(peak, await server.rss());
      await sleep(20);
    }
  })();
  const t0 = performance.now();
  const pulled = await b.api.get<Vo[]>('/message/private/loadOfflineMessage?minId=0');
  const ms = performance.now() - t0;
  pulling = false;
  await sampler;
  return {
    messages: o.messages,
    pulled: pulled.filter((m) => m.type === 0).length,
    ms,
    peakRssGrowthMb: mb(peak - base),
    seedSeconds,
  };
}

/** Medians over the rounds, with their spreads; lost and duplicated summed over every round. */
export function catchUpComparisons(runs: CatchUpFigures[]): Comparison[] {
  const f = runs[0]!;
  const sum = (k: 'lost' | 'duplicated' | 'failedPulls') => runs.reduce((n, r) => n + r[k], 0);
  const [lost, duplicated] = [sum('lost'), sum('duplicated')];
  return [
    {
      scenario: 'catch-up',
      figure: `${f.clients} clients reconnect at once, ${f.missed} missed each: all caught up (${lost} lost, ${duplicated} duplicated, ${sum('failedPulls')} failed pulls)`,
      unit: 'ms',
      ...overRounds(runs, (r) => r.ms),
      goal: '0 lost, 0 duplicated',
      met: lost === 0 && duplicated === 0,
    },
  ];
}

export function backlogComparisons(runs: BacklogFigures[]): Comparison[] {
  const f = runs[0]!;
  const pulled = runs.reduce((n, r) => n + r.pulled, 0);
  return [
    {
      scenario: 'backlog',
      figure: `offline pull of ${f.messages} (${pulled} of ${f.messages * runs.length} pulled)`,
      unit: 'ms',
      ...overRounds(runs, (r) => r.ms),
      goal: 'all pulled',
      met: pulled === f.messages * runs.length,
    },
    {
      scenario: 'backlog',
      figure: 'same, server peak RSS growth',
      unit: 'MB',
      ...overRounds(runs, (r) => r.peakRssGrowthMb),
      goal: '–',
    },
  ];
}
