/**
 * A/B of the persisted path in one run: two standalone servers (A = `--a=<dir>/server.ts`, a
 * snapshot of another build; B = this tree's `server.ts`), each in its own process, driven in
 * alternating closed-loop rounds by this process. Prints the server CPU µs per message of each
 * round and the medians (wall-clock rates are printed too but depend on the machine's load).
 *
 *   npx tsx scripts/bench/persisted-ab.ts --a=/tmp/base/scripts/bench --rounds=3 --seconds=4 --in-flight=10
 *   (--cpu-prof=DIR profiles both servers into DIR/A and DIR/B)
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

interface Server {
  name: string;
  child: ChildProcess;
  url: string;
  cpu: () => Promise<number>;
}

function start(name: string, dir: string): Promise<Server> {
  const child = fork(resolve(dir, 'server.ts'), [], {
    execArgv: [
      '--import',
      'tsx',
      '--expose-gc',
      ...(profDir ? ['--cpu-prof', `--cpu-prof-dir=${profDir}/${name}`] : []),
    ],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    cwd: resolve(dir, '../..'),
  });
  return new Promise((ok, fail) => {
    child.once('exit', (code) => fail(new Error(`${name} exited with ${code}`)));
    child.on('message', (msg: { kind: string; url?: string }) => {
      if (msg.kind !== 'ready') return;
      const cpu = () =>
        new Promise<number>((done) => {
          const onMsg = (m: { kind: string; micros: number }) => {
            if (m.kind !== 'cpu') return;
            child.off('message', onMsg);
            done(m.micros);
          };
          child.on('message', onMsg);
          child.send({ kind: 'cpu' });
        });
      ok({ name, child, url: msg.url!, cpu });
    });
  });
}

const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
const servers = [await start('A', dirA), await start('B', import.meta.dirname)];
const figures = new Map<string, { cpu: number[]; rate: number[] }>(
  servers.map((s) => [s.name, { cpu: [], rate: [] }]),
);
for (let round = 0; round < rounds; round++) {
  for (const s of round % 2 === 0 ? servers : [...servers].reverse()) {
    const load = loadavg()[0]!.toFixed(1);
    const f = await persistedScenario(s.url, s.cpu, { rates: [], seconds, inFlight }, () => undefined);
    const c = f.closedLoop;
    figures.get(s.name)!.cpu.push(c.serverCpuPerMessage);
    figures.get(s.name)!.rate.push(c.perSecond);
    console.log(
      `round ${round + 1} ${s.name}: ${c.serverCpuPerMessage.toFixed(0)} µs/msg, ${c.perSecond.toFixed(0)} msg/s, p50 ${c.p50.toFixed(1)} ms, p99 ${c.p99.toFixed(1)} ms (load ${load})`,
    );
  }
}
const [a, b] = servers.map((s) => figures.get(s.name)!);
console.log(
  `median A ${median(a!.cpu).toFixed(0)} µs/msg (${median(a!.rate).toFixed(0)} msg/s), B ${median(b!.cpu).toFixed(0)} µs/msg (${median(b!.rate).toFixed(0)} msg/s): B/A ${(median(b!.cpu) / median(a!.cpu)).toFixed(2)}`,
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
