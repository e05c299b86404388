/**
 * `npm run bench`: speed and memory of the standalone server (SQLite, in-process bus), with
 * the server in its own process and the load generated from this one, over loopback only.
 * Prints a Markdown table of figures against targets; docs/benchmarks.md records a run.
 *
 * Scenarios (each bounded in count and time):
 * - http: GET /api/user/self with autocannon, 50 connections, 10 s;
 * - private: 300 messages one at a time (latency request → B's frame), then 1000 with 10 in flight;
 * - group: a 500-member group, all online; 20 messages; time until every member has one;
 * - connections: server memory per logged-in WebSocket (the group's 500 sockets);
 * - offline: 20,000 messages to an offline user, then one loadOfflineMessage; time and memory.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import autocannon from 'autocannon';
import { runStorm } from './connections';
import { idleScaleComparisons, openFileLimits, runIdleScale } from './idle-scale';
import { runFanout } from './fanout';
import { fanmixComparisons, runFanmix } from './fanmix';
import { CLIENT_FLAGS, connect, ensureClientFlags, mb, newUser, stats, type BenchUser } from './lib';
import { microScenarios } from './micro';
import { backlogComparisons, backlogScenario, catchUpComparisons, catchUpScenario } from './backlog';
import type { BacklogServer } from './backlog';
import { persistedScenario, type ServerSample } from './persisted';
import { persistedGroupComparisons, persistedGroupScenario } from './persisted-group';
import { createBenchDatabase, servicesCpuMicros, type Engine } from './databases';
import {
  alternateSystems,
  comparisonRow,
  fanoutComparisons,
  flag,
  flagNumber,
  loadavg,
  persistedComparisons,
  REDIS_URL,
  scenarioFlags,
  stormComparisons,
  writeResults,
  type Comparison,
} from './report';

const log = (msg: string) => process.stdout.write(`${msg}\n`);

interface Memory {
  rss: number;
  heapUsed: number;
  connections: number;
}

interface BenchServer extends BacklogServer {
  child: ChildProcess;
  url: string;
  memory: () => Promise<Memory>;
  cpu: () => Promise<number>;
  /** CPU time and group-commit counts of the server process. */
  sample: () => Promise<ServerSample>;
}

/** One IPC request to the bench server, answered by a message of kind `reply`. */
function ask<T>(child: ChildProcess, request: object, reply: string): Promise<T> {
  return new Promise<T>((done) => {
    const onMsg = (m: { kind: string }) => {
      if (m.kind !== reply) return;
      child.off('message', onMsg);
      done(m as T);
    };
    child.on('message', onMsg);
    child.send(request);
  });
}

function startServer(extraArgs: string[] = [], env: Record<string, string> = {}): Promise<BenchServer> {
  const child = fork(resolve(import.meta.dirname, 'server.ts'), [], {
    execArgv: ['--import', 'tsx', '--expose-gc', ...extraArgs],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, ...env },
  });
  return new Promise((ok, fail) => {
    child.once('error', fail);
    child.once('exit', (code) => fail(new Error(`bench server exited with ${code}`)));
    child.on('message', (msg: { kind: string; url?: string }) => {
      if (msg.kind !== 'ready') return;
      const memory = () =>
        new Promise<Memory>((done) => {
          const onMsg = (m: Memory & { kind: string }) => {
            if (m.kind !== 'memory') return;
            child.off('message', onMsg);
            done(m);
          };
          child.on('message', onMsg);
          child.send({ kind: 'memory' });
        });
      const sample = async () => {
        const m = await ask<Required<ServerSample>>(child, { kind: 'cpu' }, 'cpu');
        log(`  server: ${m.writes} batched writes in ${m.batches} transactions so far`);
        return m;
      };
      const cpu = async () => (await sample()).micros;
      ok({
        child,
        url: msg.url!,
        memory,
        cpu,
        sample,
        seed: async (r) => void (await ask(child, { kind: 'seed', ...r }, 'seeded')),
        rss: async () => (await ask<{ rss: number }>(child, { kind: 'rss' }, 'rss')).rss,
        connections: async () => (await memory()).connections,
      });
    });
  });
}

async function inBatches<T>(n: number, size: number, make: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < n; i += size) {
    out.push(...(await Promise.all(Array.from({ length: Math.min(size, n - i) }, (_, j) => make(i + j)))));
    if (n >= 200 && (i / size) % 10 === 0) log(`  … ${Math.min(n, i + size)}/${n}`);
  }
  return out;
}

interface Row {
  scenario: string;
  figure: string;
  value: string;
  target: string;
  ok: boolean;
}
const rows: Row[] = [];
function record(
  scenario: string,
  figure: string,
  value: number,
  unit: string,
  target: number,
  lowerIsBetter = true,
) {
  rows.push({
    scenario,
    figure,
    value: `${Math.round(value * 10) / 10} ${unit}`,
    target: `${lowerIsBetter ? '≤' : '≥'} ${target} ${unit}`,
    ok: lowerIsBetter ? value <= target : value >= target,
  });
}

async function httpScenario(url: string) {
  log('http: GET /api/user/self, 50 connections, 10 s');
  const u = await newUser(url, 'http');
  const result = await autocannon({
    url: `${url}/api/user/self`,
    connections: 50,
    duration: 10,
    headers: { accessToken: u.token },
  });
  record('http', 'GET /user/self throughput', result.requests.average, 'req/s', 1000, false);
  record('http', 'GET /user/self p99 latency', result.latency.p99, 'ms', 100);
}

async function privateScenario(url: string) {
  const a = await newUser(url, 'pa');
  const b = await newUser(url, 'pb');
  await a.api.post(`/friend/add?friendId=${b.id}`);
  const started = new Map<string, number>();
  const latencies: number[] = [];
  let arrived = 0;
  const ws = await connect(url, b.token, (f) => {
    if (f.cmd !== 3 || f.data?.type !== 0) return;
    const t0 = started.get(f.data.content as string);
    if (t0 !== undefined) latencies.push(performance.now() - t0);
    arrived++;
  });
  const waitFor = async (n: number) => {
    const deadline = Date.now() + 30_000;
    while (arrived < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  };

  log('private: 300 messages one at a time (latency)');
  for (let i = 0; i < 300; i++) {
    const content = `l${i}`;
    started.set(content, performance.now());
    await a.api.post('/message/private/send', { tmpId: `l${i}`, recvId: b.id, content, type: 0 });
  }
  await waitFor(300);
  const s = stats(latencies);
  record('private', 'send→receive p50 (one at a time)', s.p50, 'ms', 20);
  record('private', 'send→receive p99 (one at a time)', s.p99, 'ms', 100);

  log('private: 1000 messages, 10 in flight (throughput)');
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 10 }, async () => {
      while (next < 1000) {
        const i = next++;
        await a.api.post('/message/private/send', {
          tmpId: `t${i}`,
          recvId: b.id,
          content: `t${i}`,
          type: 0,
        });
      }
    }),
  );
  await waitFor(1300);
  const elapsed = (performance.now() - t0) / 1000;
  record('private', 'delivered', arrived, 'messages', 1300, false);
  record('private', 'throughput (10 in flight)', 1000 / elapsed, 'msg/s', 200, false);
  ws.close();
}

async function groupScenario(url: string, members: BenchUser[], memory: () => Promise<Memory>) {
  log(`group: ${members.length + 1} members online, 20 messages`);
  const owner = await newUser(url, 'gown');
  await inBatches(members.length, 25, (i) => owner.api.post(`/friend/add?friendId=${members[i]!.id}`));
  const group = await owner.api.post('/group/create', { name: 'bench' });
  for (let i = 0; i < members.length; i += 50) {
    await owner.api.post('/group/invite', {
      groupId: group.id,
      friendIds: members.slice(i, i + 50).map((m) => m.id),
    });
  }
  const before = await memory();
  const received = new Map<string, number>();
  const sentAt = new Map<string, number>();
  const fanout: number[] = [];
  const sockets = await inBatches(members.length, 50, (i) =>
    connect(url, members[i]!.token, (f) => {
      if (f.cmd !== 4 || f.data?.type !== 0) return;
      const key = f.data.content as string;
      const n = (received.get(key) ?? 0) + 1;
      received.set(key, n);
      if (n === members.length) fanout.push(performance.now() - sentAt.get(key)!);
    }),
  );
  connectionFigures(before, await memory());
  for (let i = 0; i < 20; i++) {
    const key = `g${i}`;
    sentAt.set(key, performance.now());
    await owner.api.post('/message/group/send', { tmpId: key, groupId: group.id, content: key, type: 0 });
    const deadline = Date.now() + 10_000;
    while ((received.get(key) ?? 0) < members.length && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 5));
  }
  const s = stats(fanout);
  record('group', `messages reaching all ${members.length} members`, fanout.length, 'of 20', 20, false);
  record('group', `fan-out to ${members.length} p50`, s.p50, 'ms', 250);
  record('group', `fan-out to ${members.length} p99`, s.p99, 'ms', 1000);
  return sockets;
}

function connectionFigures(before: Memory, after: Memory): void {
  const opened = Math.max(1, after.connections - before.connections);
  log(
    `connections: ${after.connections} open, heap ${mb(before.heapUsed)} → ${mb(after.heapUsed)} MB, RSS ${mb(before.rss)} → ${mb(after.rss)} MB`,
  );
  record(
    'connections',
    `server heap per logged-in socket (${opened} opened)`,
    (after.heapUsed - before.heapUsed) / opened / 1024,
    'KiB',
    64,
  );
}

async function offlineScenario(url: string, memory: () => Promise<Memory>) {
  const N = 20_000;
  log(`offline: ${N} messages to an offline user, then one pull`);
  const a = await newUser(url, 'oa');
  const b = await newUser(url, 'ob');
  await a.api.post(`/friend/add?friendId=${b.id}`);
  let next = 0;
  await Promise.all(
    Array.from({ length: 20 }, async () => {
      while (next < N) {
        const i = next++;
        await a.api.post('/message/private/send', {
          tmpId: `o${i}`,
          recvId: b.id,
          content: `offline message ${i}`,
          type: 0,
        });
        if (i % 5000 === 0) log(`  … ${i}/${N}`);
      }
    }),
  );
  const before = await memory();
  const t0 = performance.now();
  const pulled = await b.api.get<unknown[]>('/message/private/loadOfflineMessage?minId=0');
  const ms = performance.now() - t0;
  const after = await memory();
  record('offline', `loadOfflineMessage of ${N}`, pulled.length, 'messages', N, false);
  record('offline', `loadOfflineMessage of ${N} time`, ms, 'ms', 5000);
  record('offline', 'server RSS growth during the pull', mb(Math.max(0, after.rss - before.rss)), 'MB', 150);
}

async function classicScenarios(): Promise<void> {
  const server = await startServer();
  log(`server ${server.url}`);
  try {
    await httpScenario(server.url);
    await privateScenario(server.url);
    log('creating 500 users…');
    const members = await inBatches(500, 20, (i) => newUser(server.url, `m${i}`));
    const sockets = await groupScenario(server.url, members, server.memory);
    for (const ws of sockets) ws.close();
    await offlineScenario(server.url, server.memory);
  } finally {
    await stopServer(server);
  }
}

async function stopServer(server: BenchServer): Promise<void> {
  server.child.removeAllListeners('exit');
  const exited = new Promise<void>((ok) => server.child.once('exit', () => ok()));
  server.child.send({ kind: 'stop' });
  await exited;
}

const results: Record<string, unknown> = {};
const comparisons: Comparison[] = [];
const selected = scenarioFlags(process.argv.slice(2));
// The persisted open loop measures the tail: the load process's own GC pauses must stay short.
if (selected.has('persisted')) ensureClientFlags();
const loadAtStart = loadavg();

if (selected.has('micro')) {
  log('micro: CPU per operation of the profiled hot spots');
  results['micro'] = await microScenarios(log);
}
if (selected.has('fanout')) {
  const o = { redisUrl: REDIS_URL, members: 500, messages: flagNumber('messages', 1000), inFlight: 10 };
  log(`fanout: ${o.members} members on 2 nodes, ${o.messages} messages, ${o.inFlight} in flight`);
  const runs = await alternateSystems((system) => runFanout(system, o), flagNumber('rounds', 1));
  results['fanout'] = { options: { ...o, redisUrl: undefined }, runs };
  comparisons.push(...fanoutComparisons(runs));
}
if (selected.has('fanmix')) {
  const o = {
    redisUrl: REDIS_URL,
    users: flagNumber('mix-users', 5000),
    members: 500,
    messages: flagNumber('mix-messages', 1000),
    inFlight: 10,
    perProcess: 2500,
  };
  log(
    `fanmix: ${o.users} users on 2 nodes, group of ${o.members} and 1:1 alternating, ${o.messages} messages`,
  );
  results['fanmix'] = await runFanmix(o, log);
  comparisons.push(...fanmixComparisons(results['fanmix'] as never));
}
if (selected.has('idle')) {
  // 2k → 10k → 19k (the hard open-file limit here is 20,000 per process); `--idle-max=N` the last.
  // `--idle-counts=2000,5000,10000,15000,19000` measures every step instead.
  const counts = (
    flag('idle-counts')?.split(',').map(Number) ?? [2000, 10_000, flagNumber('idle-max', 19_000)]
  ).filter((c, i, a) => i === 0 || c > a[i - 1]!);
  const limits = openFileLimits();
  log(
    `idle: node RSS at ${counts.join(' → ')} logged-in sockets (open files: soft ${limits.soft}, hard ${limits.hard})`,
  );
  const o = { redisUrl: REDIS_URL, counts, perProcess: flagNumber('idle-per-process', 5000), log };
  const runs = await alternateSystems((system) => runIdleScale(system, o), flagNumber('rounds', 1));
  results['idle'] = { limits, runs };
  comparisons.push(...idleScaleComparisons(runs));
}
if (selected.has('storm')) {
  const o = { redisUrl: REDIS_URL, clients: flagNumber('storm-clients', 2000), missed: 5 };
  log(`storm: ${o.clients} clients dropped at once, ${o.missed} messages missed each`);
  const runs = await alternateSystems((system) => runStorm(system, o), flagNumber('rounds', 1));
  results['storm'] = runs;
  comparisons.push(...stormComparisons(runs));
}
if (selected.has('persisted')) {
  const profile = flag('cpu-prof');
  const engines = (flag('persisted-engines') ?? 'sqlite').split(',') as Engine[];
  results['persisted'] = {};
  for (const engine of engines) {
    // SQLite: standalone with its in-process bus; MariaDB/PostgreSQL: with Redis as the bus
    // (the clustered configuration: Redis routes, queues and the cluster-wide write order).
    const db = engine === 'sqlite' ? undefined : await createBenchDatabase(engine);
    const env: Record<string, string> = db
      ? { BENCH_DATABASE_URL: db.url, BENCH_REDIS_URL: REDIS_URL, BENCH_REDIS_PREFIX: `bench${Date.now()}:` }
      : {};
    const server = await startServer(profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : [], env);
    try {
      log(
        `persisted on ${engine}${db ? ' + Redis' : ''} (load process: ${CLIENT_FLAGS.join(' ') || 'Node defaults'})`,
      );
      // Clustered: many pairs by default (one pair's messages are ordered one behind the other).
      const senders = flagNumber('senders', engine === 'sqlite' ? 1 : 50);
      const figures = await persistedScenario(
        server.url,
        { server: server.sample, ...(db ? { services: () => servicesCpuMicros(engine) } : {}) },
        {
          rates: [250, 500, 1000],
          seconds: flagNumber('seconds', 5),
          warmupSeconds: flagNumber('warmup', 3),
          inFlight: flagNumber('in-flight', engine === 'sqlite' ? 10 : 100),
          senders,
        },
        log,
      );
      (results['persisted'] as Record<string, unknown>)[engine] = figures;
      comparisons.push(...persistedComparisons(figures, engine === 'sqlite' ? '' : ` (${engine} + Redis)`));
    } finally {
      await stopServer(server);
      await db?.drop();
    }
  }
}
if (selected.has('pgroup') || selected.has('catchup') || selected.has('backlog')) {
  // Each: `--rounds` rounds on one server, after a warm-up not measured (`--warmup=0`: none).
  const rounds = flagNumber('rounds', 1);
  const warm = flag('warmup') !== '0';
  const repeat = async <T>(name: string, round: (first: boolean) => Promise<T>): Promise<T[]> => {
    const out: T[] = [];
    for (let r = 0; r < rounds; r++) {
      out.push(await round(r === 0));
      log(`  ${name} round ${r + 1} done (load ${loadavg().join(' ')})`);
    }
    return out;
  };
  const server = await startServer();
  try {
    if (selected.has('pgroup')) {
      const o = { members: 500, messages: flagNumber('group-messages', 200), inFlight: 10 };
      const warmupSeconds = warm ? flagNumber('warmup', 3) : 0;
      const runs = await repeat('pgroup', () =>
        persistedGroupScenario(server.url, { ...o, warmupSeconds }, log),
      );
      results['pgroup'] = runs;
      comparisons.push(...persistedGroupComparisons(runs));
    }
    if (selected.has('catchup')) {
      const o = { clients: flagNumber('catchup-clients', 500), missed: 50 };
      // The first round warms up with a fifth of the clients; later rounds follow a measured one.
      const warmupClients = Math.ceil(o.clients / 5);
      const runs = await repeat('catch-up', (first) =>
        catchUpScenario(server, { ...o, ...(warm && first ? { warmupClients } : {}) }, log),
      );
      results['catchup'] = runs;
      comparisons.push(...catchUpComparisons(runs));
    }
    if (selected.has('backlog')) {
      const o = { messages: flagNumber('backlog', 100_000) };
      const warmupMessages = Math.ceil(o.messages / 10);
      const runs = await repeat('backlog', (first) =>
        backlogScenario(server, { ...o, ...(warm && first ? { warmupMessages } : {}) }, log),
      );
      results['backlog'] = runs;
      comparisons.push(...backlogComparisons(runs));
    }
  } finally {
    await stopServer(server);
  }
}
if (selected.has('classic')) await classicScenarios();

if (comparisons.length > 0) {
  log('\nEach figure: median over the rounds (min–max when more than one round).');
  log('\n| scenario | figure | ours | Socket.IO | bare ws | ours/Socket.IO | ours/bare ws | goal | met |');
  log('|---|---|---|---|---|---|---|---|---|');
  for (const c of comparisons) log(comparisonRow(c));
}
if (rows.length > 0) {
  log('\n| scenario | figure | value | target | met |\n|---|---|---|---|---|');
  for (const r of rows)
    log(`| ${r.scenario} | ${r.figure} | ${r.value} | ${r.target} | ${r.ok ? 'yes' : '**no**'} |`);
}
writeResults({ scenarios: [...selected], loadAtStart, results, comparisons, classic: rows });
process.exit(rows.every((r) => r.ok) ? 0 : 1);
