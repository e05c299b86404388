/**
 * A/B of the persisted path in one run: two standalone servers (A = `--a=<dir>/server.ts`, a
 * snapshot of another build; B = this tree's `server.ts`), each in its own process, driven in
 * alternating closed-loop rounds by this process. Prints the server CPU µs per message of each
 * round and the medians (wall-clock rates are printed too but depend on the machine's load).
 *
 *   npx tsx scripts/bench/persisted-ab.ts --a=/tmp/base/scripts/bench --rounds=3 --seconds=4 --in-flight=10
 *   (--cpu-prof=DIR profiles both servers into DIR/A and DIR/B)
 *
 * Or one build under two settings: --env-a / --env-b set variables of each server's process
 * (comma-separated NAME=value), e.g. the SQLite worker off and on:
 *   npx tsx scripts/bench/persisted-ab.ts --env-a=BENCH_SQLITE_WORKER=off --env-b=BENCH_SQLITE_WORKER=on
 * Each round also prints the main thread's and the SQLite worker thread's CPU µs per message
 * (parts of the server's; Linux only).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { persistedScenario } from './persisted';

const arg = (name: string, fallback: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const dirA = arg('a', import.meta.dirname);
const rounds = Number(arg('rounds', '3'));
const seconds = Number(arg('seconds', '4'));
const inFlight = Number(arg('in-flight', '10'));
const profDir = arg('cpu-prof', '');
const envOf = (name: string): Record<string, string> =>
  Object.fromEntries(
    arg(name, '')
      .split(',')
      .filter((kv) => kv.includes('='))
      .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
  );

interface Server {
  name: string;
  child: ChildProcess;
  url: string;
  cpu: () => Promise<number>;
  /** CPU µs of the SQLite worker thread, the main thread and the process between the last two readings. */
  shares: () => { worker: number; main: number; cpu: number };
}

function start(name: string, dir: string, env: Record<string, string>): Promise<Server> {
  const child = fork(resolve(dir, 'server.ts'), [], {
    execArgv: [
      '--import',
      'tsx',
      '--expose-gc',
      ...(profDir ? ['--cpu-prof', `--cpu-prof-dir=${profDir}/${name}`] : []),
    ],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    cwd: resolve(dir, '../..'),
    env: { ...process.env, ...env },
  });
  const readings: { worker: number; main: number; cpu: number }[] = [];
  return new Promise((ok, fail) => {
    child.once('exit', (code) => fail(new Error(`${name} exited with ${code}`)));
    child.on('message', (msg: { kind: string; url?: string }) => {
      if (msg.kind !== 'ready') return;
      const cpu = () =>
        new Promise<number>((done) => {
          const onMsg = (m: { kind: string; micros: number; workerMicros?: number; mainMicros?: number }) => {
            if (m.kind !== 'cpu') return;
            child.off('message', onMsg);
            readings.push({ worker: m.workerMicros ?? 0, main: m.mainMicros ?? 0, cpu: m.micros });
            done(m.micros);
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
      ok({ name, child, url: msg.url!, cpu, shares });
    });
  });
}

const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
const servers = [
  await start('A', dirA, envOf('env-a')),
  await start('B', import.meta.dirname, envOf('env-b')),
];
const figures = new Map<
  string,
  { cpu: number[]; rate: number[]; p99: number[]; worker: number[]; main: number[] }
>(servers.map((s) => [s.name, { cpu: [], rate: [], p99: [], worker: [], main: [] }]));
for (let round = 0; round < rounds; round++) {
  for (const s of round % 2 === 0 ? servers : [...servers].reverse()) {
    const load = loadavg()[0]!.toFixed(1);
    const f = await persistedScenario(s.url, s.cpu, { rates: [], seconds, inFlight }, () => undefined);
    const c = f.closedLoop;
    figures.get(s.name)!.cpu.push(c.serverCpuPerMessage);
    figures.get(s.name)!.rate.push(c.perSecond);
    figures.get(s.name)!.p99.push(c.p99);
    const share = s.shares();
    const worker = (c.serverCpuPerMessage * share.worker) / share.cpu;
    const main = (c.serverCpuPerMessage * share.main) / share.cpu;
    figures.get(s.name)!.worker.push(worker);
    figures.get(s.name)!.main.push(main);
    console.log(
      `round ${round + 1} ${s.name}: ${c.serverCpuPerMessage.toFixed(0)} µs/msg (main thread ${main.toFixed(0)}, SQLite worker ${worker.toFixed(0)}), ${c.perSecond.toFixed(0)} msg/s, p50 ${c.p50.toFixed(1)} ms, p99 ${c.p99.toFixed(1)} ms (load ${load})`,
    );
  }
}
const [a, b] = servers.map((s) => figures.get(s.name)!);
const summary = (f: typeof a) =>
  `${median(f!.cpu).toFixed(0)} µs/msg (main thread ${median(f!.main).toFixed(0)}, SQLite worker ${median(f!.worker).toFixed(0)}), ${median(f!.rate).toFixed(0)} msg/s, p99 ${median(f!.p99).toFixed(1)} ms`;
console.log(
  `median A ${summary(a)}; B ${summary(b)}: CPU B/A ${(median(b!.cpu) / median(a!.cpu)).toFixed(2)}, rate B/A ${(median(b!.rate) / median(a!.rate)).toFixed(2)}`,
);
await Promise.all(
  servers.map((s) => {
    s.child.removeAllListeners('exit');
    const exited = new Promise((done) => s.child.once('exit', done));
    s.child.send({ kind: 'stop' });
    return exited;
  }),
);
process.exit(0);
