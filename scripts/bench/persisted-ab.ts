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
 * `--senders=N` spreads the load over N sender → receiver pairs.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { createBenchDatabase, servicesCpuMicros, type BenchDatabase, type Engine } from './databases';
import { persistedScenario, type ServerSample } from './persisted';

const arg = (name: string, fallback: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const dirA = arg('a', import.meta.dirname);
const rounds = Number(arg('rounds', '3'));
const seconds = Number(arg('seconds', '4'));
const inFlight = Number(arg('in-flight', '10'));
const senders = Number(arg('senders', '1'));
const engine = arg('engine', 'sqlite') as Engine;
const profDir = arg('cpu-prof', '');
const REDIS_URL = process.env['IM_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

interface Server {
  name: string;
  child: ChildProcess;
  url: string;
  sample: () => Promise<ServerSample>;
  db?: BenchDatabase;
}

async function start(name: string, dir: string): Promise<Server> {
  const db = engine === 'sqlite' ? undefined : await createBenchDatabase(engine);
  const child = fork(resolve(dir, 'server.ts'), [], {
    execArgv: [
      '--import',
      'tsx',
      '--conditions=source',
      '--expose-gc',
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
    },
  });
  return new Promise((ok, fail) => {
    child.once('exit', (code) => fail(new Error(`${name} exited with ${code}`)));
    child.on('message', (msg: { kind: string; url?: string }) => {
      if (msg.kind !== 'ready') return;
      const sample = () =>
        new Promise<ServerSample>((done) => {
          const onMsg = (m: ServerSample & { kind: string }) => {
            if (m.kind !== 'cpu') return;
            child.off('message', onMsg);
            done(m);
          };
          child.on('message', onMsg);
          child.send({ kind: 'cpu' });
        });
      ok({ name, child, url: msg.url!, sample, ...(db ? { db } : {}) });
    });
  });
}

const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
const servers = [await start('A', dirA), await start('B', import.meta.dirname)];
const figures = new Map<string, { cpu: number[]; services: number[]; rate: number[] }>(
  servers.map((s) => [s.name, { cpu: [], services: [], rate: [] }]),
);
const probe = (s: Server) => ({
  server: s.sample,
  ...(s.db ? { services: () => servicesCpuMicros(engine) } : {}),
});
for (let round = 0; round < rounds; round++) {
  for (const s of round % 2 === 0 ? servers : [...servers].reverse()) {
    const load = loadavg()[0]!.toFixed(1);
    const options = { rates: [], seconds, inFlight, senders };
    const f = await persistedScenario(s.url, probe(s), options, () => undefined);
    const c = f.closedLoop;
    const services = c.servicesCpuPerMessage ?? 0;
    figures.get(s.name)!.cpu.push(c.serverCpuPerMessage);
    figures.get(s.name)!.services.push(services);
    figures.get(s.name)!.rate.push(c.perSecond);
    const batching = c.batches ? `, ${(c.writes! / c.batches).toFixed(1)} writes/transaction` : '';
    console.log(
      `round ${round + 1} ${s.name}: ${c.serverCpuPerMessage.toFixed(0)} µs/msg server + ${services.toFixed(0)} DB/Redis, ${c.perSecond.toFixed(0)} msg/s, p50 ${c.p50.toFixed(1)} ms, p99 ${c.p99.toFixed(1)} ms${batching} (load ${load})`,
    );
  }
}
const [a, b] = servers.map((s) => figures.get(s.name)!);
const total = (f: typeof a) => median(f!.cpu.map((cpu, i) => cpu + f!.services[i]!));
console.log(
  `median A ${median(a!.cpu).toFixed(0)} µs/msg (${median(a!.rate).toFixed(0)} msg/s), B ${median(b!.cpu).toFixed(0)} µs/msg (${median(b!.rate).toFixed(0)} msg/s): B/A ${(median(b!.cpu) / median(a!.cpu)).toFixed(2)}`,
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
