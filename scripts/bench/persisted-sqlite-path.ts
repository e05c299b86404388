/**
 * The database half of the persisted path, A/B between two source trees, without HTTP or
 * pushes: each run is a fresh process on a fresh SQLite file that stores private messages
 * the way the server does (the tree's own repositories and group commit: `--batch` inserts
 * submitted per tick, and the delivered UPDATE of the previous batch's ids joining the next
 * transaction), plus what the tree runs beside it (a tree with the batched search index of
 * migration 021 indexes every 200 ms worth of messages at `--rate`; its WAL checkpointer
 * thread runs). Prints the main thread's CPU µs per message (what limits the standalone
 * server) and the whole process's, alternating A and B `--rounds` times; medians and the
 * median of per-round B/A.
 *
 *   npx tsx scripts/bench/persisted-sqlite-path.ts --a=/work/wt/base --rounds=6 --messages=20000 --batch=3
 *   (--checkpoint-a=connection: A's WAL checkpoints by SQLite in its commits, as SQLITE_CHECKPOINT=connection)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const arg = (name: string, fallback: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const here = resolve(import.meta.dirname, '../..');
const batch = Number(arg('batch', '3'));
/** Whole batches. */
const messages = Math.ceil(Number(arg('messages', '20000')) / batch) * batch;
const rate = Number(arg('rate', '1500'));

const mainMicros = () => Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1000;

/** One run in this process on the tree at `root`; prints its figures as JSON. */
async function run(root: string): Promise<void> {
  const src = (path: string) => import(join(root, 'packages/im-platform/src', path));
  const { openDatabase, migrateToLatest } = await src('db/index.ts');
  const { createRepositories } = await src('repositories/index.ts');
  const dir = mkdtempSync(join(tmpdir(), 'sqlite-path-'));
  const checkpointThread = arg('checkpoint', 'thread') === 'thread';
  const h = openDatabase(`sqlite:${join(dir, 'im.db')}`, 1, undefined, { checkpointThread });
  await migrateToLatest(h.db, 'sqlite');
  const repos = createRepositories(h);
  const indexEvery = Math.max(1, Math.round(rate / 5));
  const index: (() => Promise<number>) | undefined = repos.messageSearch.indexPending?.bind(
    repos.messageSearch,
  );
  let delivered: Promise<void> = Promise.resolve();
  const started = { main: mainMicros(), cpu: process.cpuUsage(), at: performance.now() };
  for (let n = 0; n < messages; n += batch) {
    const ids = Array.from({ length: batch }, (_, i) =>
      repos.privateMessages.insert({
        tmp_id: `t${n + i}`,
        send_id: 1 + (i % 10),
        recv_id: 11 + (i % 10),
        content: `hello 你好 message number ${n + i} of the bench`,
        type: 0,
        status: 0,
        send_time: new Date(),
      }),
    );
    const stored = (await Promise.all(ids)) as number[];
    await delivered;
    delivered = repos.privateMessages.markDelivered(stored);
    if (index && Math.floor((n + batch) / indexEvery) > Math.floor(n / indexEvery)) await index();
  }
  await delivered;
  if (index) await index();
  const cpu = process.cpuUsage(started.cpu);
  // Every message must be findable through the FTS index (A: its trigger; B: the batches).
  const { sql } = await import('kysely');
  const hits = await sql<{ n: number }>`select count(*) as n from im_private_message_fts
    where im_private_message_fts match '"message number"'`.execute(h.db);
  const figures = {
    indexed: Number(hits.rows[0]?.n),
    main: (mainMicros() - started.main) / messages,
    cpu: (cpu.user + cpu.system) / messages,
    seconds: (performance.now() - started.at) / 1000,
  };
  await h.db.destroy();
  rmSync(dir, { recursive: true, force: true });
  console.log(JSON.stringify(figures));
}

const only = arg('run', '');
if (only) await run(only);
else {
  const trees = { A: resolve(arg('a', here)), B: here };
  const rounds = Number(arg('rounds', '6'));
  const got: Record<'A' | 'B', { main: number; cpu: number; seconds: number }[]> = { A: [], B: [] };
  for (let r = 0; r < rounds; r++)
    for (const name of r % 2 ? (['B', 'A'] as const) : (['A', 'B'] as const)) {
      const out = execFileSync(
        process.execPath,
        [
          '--import',
          'tsx',
          '--conditions=source',
          import.meta.filename,
          `--run=${trees[name]}`,
          `--checkpoint=${arg(`checkpoint-${name.toLowerCase()}`, 'thread')}`,
          ...process.argv.slice(2),
        ],
        { cwd: trees[name], encoding: 'utf8' },
      );
      const f = JSON.parse(out.trim().split('\n').pop()!) as {
        main: number;
        cpu: number;
        seconds: number;
        indexed: number;
      };
      if (f.indexed !== messages)
        throw new Error(`${name}: ${f.indexed} of ${messages} messages in the search index`);
      got[name].push(f);
      console.log(
        `round ${r + 1} ${name}: main thread ${f.main.toFixed(1)} µs/msg, process ${f.cpu.toFixed(1)} µs/msg, ${f.seconds.toFixed(1)} s`,
      );
    }
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
  const labels = {
    main: 'main thread µs/msg',
    cpu: 'process µs/msg',
    seconds: 'wall seconds (includes waits: fsync)',
  };
  for (const k of ['main', 'cpu', 'seconds'] as const) {
    const [a, b] = [got.A.map((f) => f[k]), got.B.map((f) => f[k])];
    console.log(
      `${labels[k]}: median A ${median(a).toFixed(1)}, B ${median(b).toFixed(1)}; median of per-round B/A ${median(b.map((x, i) => x / a[i]!)).toFixed(2)}`,
    );
  }
}
