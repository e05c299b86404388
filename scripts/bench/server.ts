/**
 * The server under benchmark, in its own process (forked by run.ts): a standalone server on
 * port 0 with a fresh data folder. Answers IPC requests for its memory figures.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStandalone } from '@box-im/im-standalone';
import { startStallProbe } from './stall-probe';

const probe = process.env['BENCH_STALLS'] ? startStallProbe('server') : undefined;

const running = await startStandalone({
  port: 0,
  dataDir: mkdtempSync(join(tmpdir(), 'im-bench-')),
  env: {
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    LOG_PRETTY: 'false',
    // Load from one address, far above any client's rate: the limits would measure themselves.
    RATE_LIMIT: 'off',
    ...(process.env['BENCH_DATABASE_URL'] ? { DATABASE_URL: process.env['BENCH_DATABASE_URL'] } : {}),
    // A/B of the SQLite worker thread (persisted-ab.ts --env-a/--env-b, or set it for run.ts).
    ...(process.env['BENCH_SQLITE_WORKER'] ? { SQLITE_WORKER: process.env['BENCH_SQLITE_WORKER'] } : {}),
    ...(process.env['BENCH_REDIS_URL']
      ? {
          REDIS_URL: process.env['BENCH_REDIS_URL'],
          REDIS_KEY_PREFIX: process.env['BENCH_REDIS_PREFIX'] ?? 'bench:',
        }
      : {}),
  },
});
process.send?.({ kind: 'ready', url: running.url });
interface SeedRequest {
  kind: 'seed';
  from: number;
  to: number[];
  perReceiver: number;
  prefix: string;
  concurrency: number;
}

/**
 * Messages sent for a scenario's setup: real sends through the service (friendship check,
 * content check, the writer with its group commit and pushes), without HTTP in between.
 */
async function seed(r: SeedRequest): Promise<void> {
  const session = { userId: r.from, userName: 'bench', nickName: 'bench', terminal: 0 };
  const total = r.to.length * r.perReceiver;
  let next = 0;
  await Promise.all(
    Array.from({ length: r.concurrency }, async () => {
      while (next < total) {
        const i = next++;
        const recvId = r.to[i % r.to.length]!;
        const content = `${r.prefix}${recvId}-${Math.floor(i / r.to.length)}`;
        await running.ctx.services.privateMessage.send(session, { recvId, content, type: 0 });
      }
    }),
  );
}

process.on('message', (msg: { kind: string }) => {
  if (msg.kind === 'seed') void seed(msg as SeedRequest).then(() => process.send?.({ kind: 'seeded' }));
  if (msg.kind === 'rss') process.send?.({ kind: 'rss', rss: process.memoryUsage().rss });
  if (msg.kind === 'memory') {
    global.gc?.();
    const m = process.memoryUsage();
    process.send?.({
      kind: 'memory',
      rss: m.rss,
      heapUsed: m.heapUsed,
      connections: running.push.connectionCount,
    });
  }
  if (msg.kind === 'cpu') void reportCpu();
  if (msg.kind === 'stalls' && probe) {
    const text = probe.dump();
    if (!(msg as { quiet?: boolean }).quiet) process.stderr.write(text + '\n');
  }
  if (msg.kind === 'stop') void running.close().then(() => process.exit(0));
});

/** Linux: this thread's own CPU time in µs (the process total also counts other threads). */
function mainThreadMicros(): number | undefined {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1000;
  } catch {
    return undefined;
  }
}

async function reportCpu(): Promise<void> {
  // The SQLite worker's own CPU first: the process total read after it covers it.
  const workerMicros = await running.ctx.db.workerCpuMicros?.();
  const mainMicros = mainThreadMicros();
  const c = process.cpuUsage();
  const lanes = running.ctx.repos.commits;
  // One lane for both on SQLite: count each lane once.
  const distinct = [...new Set([lanes.inserts, lanes.updates])];
  const batches = distinct.reduce((n, lane) => n + lane.stats.batches, 0);
  const writes = distinct.reduce((n, lane) => n + lane.stats.writes, 0);
  // The whole process (every thread); the main thread and the SQLite worker on their own.
  process.send?.({ kind: 'cpu', micros: c.user + c.system, batches, writes, workerMicros, mainMicros });
}
