/**
 * A/B of the persisted path in one run: two standalone servers (A = `--a=<dir>/server.ts`, a
 * snapshot of another build; B = this tree's `server.ts`), each in its own process, driven in
 * alternating closed-loop rounds by this process. Prints the server CPU µs per message of each
 * round and the medians (wall-clock rates are printed too but depend on the machine's load).
 *
 *   npx tsx scripts/bench/persisted-ab.ts --a=/tmp/base/scripts/bench --rounds=3 --seconds=4 --in-flight=10
 *   (--cpu-prof=DIR profiles both servers into DIR/A and DIR/B)
 *
 * Clustered: `--engine=mysql|postgres` gives each server a fresh database of that engine and
 * Redis as its bus (IM_TEST_MYSQL_URL, IM_TEST_POSTGRES_URL, IM_TEST_REDIS_URL), and adds the
 * database + Redis processes' CPU per message and the group commit's writes per transaction;
 * `--senders=N` spreads the load over N sender → receiver pairs (`--senders-a` / `--senders-b`
 * for one side only).
 *
 * Or one build under two settings: --env-a / --env-b set variables of each server's process
 * (comma-separated NAME=value), e.g. the SQLite worker off and on:
 *   npx tsx scripts/bench/persisted-ab.ts --env-a=BENCH_SQLITE_WORKER=off --env-b=BENCH_SQLITE_WORKER=on
 * Each round also prints the main thread's and the SQLite worker thread's CPU µs per message
 * (parts of the server's; Linux only).
 *
 * --flags-a / --flags-b add Node flags to each server's process (comma-separated), e.g.
 * --flags-b=--max-semi-space-size=2; --sender-a / --sender-b pick how each server is sent to
 * (`http` default, or `fetch`: see persisted-sender.ts), to A/B the load process itself with
 * --a pointing at this tree. This process (the load) runs with CLIENT_FLAGS (lib.ts).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { createBenchDatabase, servicesCpuMicros, type BenchDatabase, type Engine } from './databases';
import { CLIENT_FLAGS, ensureClientFlags } from './lib';
import { persistedScenario, type ServerSample } from './persisted';
import type { SenderKind } from './persisted-sender';

ensureClientFlags();

const arg = (name: string, fallback: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const dirA = arg('a', import.meta.dirname);
const rounds = Number(arg('rounds', '3'));
const seconds = Number(arg('seconds', '4'));
const inFlight = Number(arg('in-flight', '10'));
const senders = Number(arg('senders', '1'));
const pairsOf = (name: string) => Number(arg(name, String(senders)));
const engine = arg('engine', 'sqlite') as Engine;
const profDir = arg('cpu-prof', '');
/** Open loops after each round's closed loop (msg/s offered, comma-separated): their p99 per round. */
const rates = arg('rates', '').split(',').filter(Boolean).map(Number);
const REDIS_URL = process.env['IM_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const flagsOf = (name: string) => arg(name, '').split(',').filter(Boolean);
const senderOf = (name: string) => arg(name, 'http') as SenderKind;
const envOf = (name: string): Record<string, string> =>
  Object.fromEntries(
    arg(name, '')
      .split(',')
      .filter((kv) => kv.includes('='))
      .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
  );

/** What a server reports of its CPU: the process's, and its main and SQLite worker threads'. */
type ThreadSample = ServerSample & { workerMicros?: number; mainMicros?: number };

interface Server {
  name: string;
  child: ChildProcess;
  url: string;
  sample: () => Promise<ServerSample>;
  /** CPU µs of the SQLite worker thread, the main thread and the process between the last two samples. */
  shares: () => { worker: number; main: number; cpu: number };
  db?: BenchDatabase;
}

async function start(
  name: string,
  dir: string,
  env: Record<string, string>,
  flags: string[],
): Promise<Server> {
  const db = engine === 'sqlite' ? undefined : await createBenchDatabase(engine);
  const child = fork(resolve(dir, 'server.ts'), [], {
    execArgv: [
      '--import',
      'tsx',
      '--conditions=source',
      '--expose-gc',
      ...flags,
      ...(profDir ? ['--cpu-prof', `--cpu-prof-dir=${profDir}/${name}`] : []),
    ],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    cwd: resolve(dir, '../..'),
    env: {
      ...process.env,
      ...(db
        ? {
            BENCH_DATABASE_URL: db.url,
            BENCH_REDIS_URL: REDIS_URL,
            BENCH_REDIS_PREFIX: `bench${name}${Date.now()}:`,
          }
        : {}),
      ...env,
    },
  });
  const readings: { worker: number; main: number; cpu: number }[] = [];
  return new Promise((ok, fail) => {
    child.once('exit', (code) => fail(new Error(`${name} exited with ${code}`)));
    child.on('message', (msg: { kind: string; url?: string }) => {
      if (msg.kind !== 'ready') return;
      const sample = () =>
        new Promise<ServerSample>((done) => {
          const onMsg = (m: ThreadSample & { kind: string }) => {
            if (m.kind !== 'cpu') return;
            child.off('message', onMsg);
            readings.push({ worker: m.workerMicros ?? 0, main: m.mainMicros ?? 0, cpu: m.micros });
            done(m);
          };
          child.on('message', onMsg);
          child.send({ kind: 'cpu' });
        });
      const shares = () => {
        const [r0, r1] = readings.slice(-2);
        return r0 && r1
          ? { worker: r1.worker - r0.worker, main: r1.main - r0.main, cpu: r1.cpu - r0.cpu }
          : { worker: 0, main: 0, cpu: 1 };
      };
      ok({ name, child, url: msg.url!, sample, shares, ...(db ? { db } : {}) });
    });
  });
}

const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
const servers = [
  await start('A', dirA, envOf('env-a'), flagsOf('flags-a')),
  await start('B', import.meta.dirname, envOf('env-b'), flagsOf('flags-b')),
];
const senderKinds = new Map([
  ['A', senderOf('sender-a')],
  ['B', senderOf('sender-b')],
]);
console.log(
  `load process: ${CLIENT_FLAGS.join(' ') || 'Node defaults'}; senders A ${senderKinds.get('A')}, B ${senderKinds.get('B')}`,
);
interface Figures {
  cpu: number[];
  services: number[];
  rate: number[];
  p99: number[];
  worker: number[];
  main: number[];
  /** Per offered rate: p99 of each round. */
  open: Map<number, number[]>;
  /** Per offered rate: the load process's CPU µs per message of each round. */
  client: Map<number, number[]>;
}
const figures = new Map<string, Figures>(
  servers.map((s) => [
    s.name,
    { cpu: [], services: [], rate: [], p99: [], worker: [], main: [], open: new Map(), client: new Map() },
  ]),
);
const probe = (s: Server) => ({
  server: s.sample,
  ...(process.env['BENCH_STALLS']
    ? {
        phase: async (name: string) => {
          s.child.send({ kind: 'stalls', quiet: name === 'start' });
          await new Promise((r) => setTimeout(r, 50));
          if (name === 'end') console.error(`[${s.name}] ^ server during open loop`);
        },
      }
    : {}),
  ...(s.db ? { services: () => servicesCpuMicros(engine) } : {}),
});
for (let round = 0; round < rounds; round++) {
  for (const s of round % 2 === 0 ? servers : [...servers].reverse()) {
    const load = loadavg()[0]!.toFixed(1);
    const pairs = pairsOf(s.name === 'A' ? 'senders-a' : 'senders-b');
    const options = { rates, seconds, inFlight, senders: pairs, sender: senderKinds.get(s.name)! };
    const f = await persistedScenario(s.url, probe(s), options, () => undefined);
    const c = f.closedLoop;
    const services = c.servicesCpuPerMessage ?? 0;
    const share = s.shares();
    const worker = (c.serverCpuPerMessage * share.worker) / share.cpu;
    const main = (c.serverCpuPerMessage * share.main) / share.cpu;
    const fig = figures.get(s.name)!;
    fig.cpu.push(c.serverCpuPerMessage);
    fig.services.push(services);
    fig.rate.push(c.perSecond);
    fig.p99.push(c.p99);
    fig.worker.push(worker);
    fig.main.push(main);
    const batching = c.batches ? `, ${(c.writes! / c.batches).toFixed(1)} writes/transaction` : '';
    const threads =
      engine === 'sqlite' ? ` (main thread ${main.toFixed(0)}, SQLite worker ${worker.toFixed(0)})` : '';
    const open = f.openLoop.map((o) => {
      fig.open.set(o.offered, [...(fig.open.get(o.offered) ?? []), o.p99]);
      fig.client.set(o.offered, [...(fig.client.get(o.offered) ?? []), o.clientCpuPerMessage]);
      return `; ${o.offered} msg/s offered: p50 ${o.p50.toFixed(1)} ms, p99 ${o.p99.toFixed(1)} ms, lost ${o.lost}, load process ${o.clientCpuPerMessage.toFixed(0)} µs/msg, send lag p99 ${o.sendLagP99.toFixed(1)} ms, answered p99 ${o.answeredP99.toFixed(1)} ms${o.failed ? `, ${o.failed} sends failed` : ''}`;
    });
    console.log(
      `round ${round + 1} ${s.name}: ${c.serverCpuPerMessage.toFixed(0)} µs/msg server${threads} + ${services.toFixed(0)} DB/Redis, ${c.perSecond.toFixed(0)} msg/s, p50 ${c.p50.toFixed(1)} ms, p99 ${c.p99.toFixed(1)} ms${batching} (load ${load})${open.join('')}`,
    );
  }
}
const [a, b] = servers.map((s) => figures.get(s.name)!);
const total = (f: typeof a) => median(f!.cpu.map((cpu, i) => cpu + f!.services[i]!));
const summary = (f: typeof a) =>
  `${median(f!.cpu).toFixed(0)} µs/msg (main thread ${median(f!.main).toFixed(0)}, SQLite worker ${median(f!.worker).toFixed(0)}), ${median(f!.rate).toFixed(0)} msg/s, p99 ${median(f!.p99).toFixed(1)} ms`;
console.log(
  `median A ${summary(a)}; B ${summary(b)}: CPU B/A ${(median(b!.cpu) / median(a!.cpu)).toFixed(2)}, rate B/A ${(median(b!.rate) / median(a!.rate)).toFixed(2)}`,
);
// Per round, B against the A run next to it (the two share that moment's load): the median
// of these ratios is what a loaded machine can still tell.
const paired = (pick: (f: Figures) => number[]) =>
  median(pick(b!).map((x, i) => x / pick(a!)[i]!)).toFixed(2);
console.log(
  `median of per-round B/A: CPU ${paired((f) => f.cpu)}, main thread ${paired((f) => f.main)}, rate ${paired((f) => f.rate)}, p99 ${paired((f) => f.p99)}`,
);
for (const offered of rates)
  console.log(
    `open loop ${offered} msg/s: median p99 A ${median(a!.open.get(offered)!).toFixed(1)} ms, B ${median(b!.open.get(offered)!).toFixed(1)} ms; median of per-round B/A ${median(b!.open.get(offered)!.map((x, i) => x / a!.open.get(offered)![i]!)).toFixed(2)}; load process µs/msg A ${median(a!.client.get(offered)!).toFixed(0)}, B ${median(b!.client.get(offered)!).toFixed(0)}`,
  );
if (engine !== 'sqlite')
  console.log(
    `with DB + Redis: median A ${total(a).toFixed(0)} µs/msg, B ${total(b).toFixed(0)} µs/msg: B/A ${(total(b) / total(a)).toFixed(2)}`,
  );
await Promise.all(
  servers.map((s) => {
    s.child.removeAllListeners('exit');
    const exited = new Promise((done) => s.child.once('exit', done));
    s.child.send({ kind: 'stop' });
    return exited;
  }),
);
for (const s of servers) await s.db?.drop();
process.exit(0);
