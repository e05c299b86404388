/**
 * Micro A/B of the group commit's multi-row INSERT on MariaDB and PostgreSQL: batches of
 * `--batch` private-message inserts through the repository and a group commit, alternately
 * with one statement per batch (B, as the platform runs) and one statement per message (A: the
 * same repository with merging turned off). Prints CPU µs per insert of this process and of the
 * database (+ Redis) processes, and inserts per second.
 *
 *   npx tsx packages/im-platform/test/bench/multirow-bench.ts --engines=mysql,postgres --batch=16 --batches=150 --rounds=4
 */
import { loadavg } from 'node:os';
import { MessageStatus } from '@box-im/im-common';
import { migrateToLatest, openDatabase } from '../../src/db';
import { GroupCommit } from '../../src/db/group-commit';
import { PrivateMessageRepository } from '../../src/repositories/private-message.repository';
import { createTestDatabase } from '../../testing';
import { servicesCpuMicros } from '../../../../scripts/bench/databases';

const arg = (name: string, fallback: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const engines = arg('engines', 'mysql,postgres').split(',') as ('mysql' | 'postgres')[];
const batch = Number(arg('batch', '16'));
const batches = Number(arg('batches', '150'));
const rounds = Number(arg('rounds', '4'));
const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;

for (const engine of engines) {
  const tdb = await createTestDatabase(engine);
  const h = openDatabase(tdb.url);
  await migrateToLatest(h.db as never, h.name);
  const commits = new GroupCommit(h);
  // A: the same writes, submitted without their Merge (one statement each).
  const single = { submit: (write: never) => commits.submit(write) } as unknown as GroupCommit;
  const repos = {
    A: new PrivateMessageRepository(h, { inserts: single, updates: single }),
    B: new PrivateMessageRepository(h, { inserts: commits, updates: commits }),
  };
  const figures = {
    A: { own: [] as number[], db: [] as number[] },
    B: { own: [] as number[], db: [] as number[] },
  };
  let seq = 0;
  for (let round = 0; round < rounds; round++) {
    for (const name of round % 2 === 0 ? (['A', 'B'] as const) : (['B', 'A'] as const)) {
      const load = loadavg()[0]!.toFixed(1);
      const cpu0 = process.cpuUsage();
      const db0 = servicesCpuMicros(engine);
      const t0 = performance.now();
      for (let b = 0; b < batches; b++)
        await Promise.all(
          Array.from({ length: batch }, () =>
            repos[name].insert({
              tmp_id: `t${++seq}`,
              send_id: 1 + (seq % 50),
              recv_id: 100 + (seq % 50),
              content: `message ${seq}`,
              type: 0,
              status: MessageStatus.PENDING,
              send_time: new Date(),
            }),
          ),
        );
      const n = batch * batches;
      const c = process.cpuUsage(cpu0);
      const own = (c.user + c.system) / n;
      const db = (servicesCpuMicros(engine) - db0) / n;
      figures[name].own.push(own);
      figures[name].db.push(db);
      const rate = n / ((performance.now() - t0) / 1000);
      console.log(
        `${engine} round ${round + 1} ${name}: ${own.toFixed(0)} µs/insert here + ${db.toFixed(0)} DB, ${rate.toFixed(0)} inserts/s (load ${load})`,
      );
    }
  }
  const total = (f: { own: number[]; db: number[] }) => median(f.own.map((o, i) => o + f.db[i]!));
  console.log(
    `${engine} median: A ${median(figures.A.own).toFixed(0)} + ${median(figures.A.db).toFixed(0)} DB µs/insert, B ${median(figures.B.own).toFixed(0)} + ${median(figures.B.db).toFixed(0)} DB; total B/A ${(total(figures.B) / total(figures.A)).toFixed(2)}`,
  );
  await h.db.destroy();
  await tdb.drop();
}
process.exit(0);
