/**
 * What the statements of the persisted path cost SQLite alone (no HTTP, no push): a message
 * table migrated as the server's, then transactions of `--batch` messages each (the group
 * commit's batches), under variants that each leave one piece out, so the difference is that
 * piece's cost per message. Runs the variants alternately `--rounds` times; prints medians.
 *
 *   npx tsx --conditions=source scripts/bench/persisted-sqlite-micro.ts --batch=4 --messages=20000
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type SQLite from 'better-sqlite3';

// The server's own migrations and connection settings, from this tree's source.
const src = (path: string) => join(resolve(import.meta.dirname, '../../packages/im-platform/src'), path);
const { migrateToLatest, openDatabase } = (await import(src('db/index.ts'))) as {
  migrateToLatest: (db: unknown, dialect: 'sqlite') => Promise<string[]>;
  openDatabase: (url: string) => { db: { destroy(): Promise<void> } };
};
const { openSqliteConnection } = (await import(src('db/dialects/sqlite-open.ts'))) as {
  openSqliteConnection: (file: string) => SQLite.Database;
};

const arg = (name: string, fallback: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const batch = Number(arg('batch', '4'));
const messages = Number(arg('messages', '20000'));
const rounds = Number(arg('rounds', '3'));

interface Variant {
  name: string;
  fts: boolean;
  delivered: boolean;
  autocheckpoint: number;
  /** Index text in the FTS table every this many messages, after the commit (0: trigger). */
  ftsEvery?: number;
}
const VARIANTS: Variant[] = [
  {
    name: 'all (trigger FTS, delivered UPDATE, autocheckpoint 1000)',
    fts: true,
    delivered: true,
    autocheckpoint: 1000,
  },
  { name: 'no FTS trigger', fts: false, delivered: true, autocheckpoint: 1000 },
  { name: 'no delivered UPDATE', fts: true, delivered: false, autocheckpoint: 1000 },
  { name: 'no autocheckpoint', fts: true, delivered: true, autocheckpoint: 0 },
  { name: 'FTS batched every 4', fts: false, delivered: true, autocheckpoint: 1000, ftsEvery: 4 },
  { name: 'FTS batched every 256', fts: false, delivered: true, autocheckpoint: 1000, ftsEvery: 256 },
  { name: 'FTS batched every 64', fts: false, delivered: true, autocheckpoint: 1000, ftsEvery: 64 },
  { name: 'FTS batched every 512', fts: false, delivered: true, autocheckpoint: 1000, ftsEvery: 512 },
];

async function prepare(dir: string): Promise<string> {
  const file = join(dir, 'im.db');
  const h = openDatabase(`sqlite:${file}`);
  await migrateToLatest(h.db, 'sqlite');
  await h.db.destroy();
  return file;
}

function run(file: string, v: Variant): number {
  const db = openSqliteConnection(file);
  db.pragma(`wal_autocheckpoint = ${v.autocheckpoint}`);
  // The per-row trigger of migration 013 (dropped by 021) for the variants that index by it.
  db.exec('drop trigger if exists im_private_message_fts_ai');
  if (v.fts)
    db.exec(`create trigger im_private_message_fts_ai after insert on im_private_message begin
      insert into im_private_message_fts(rowid, content) values (new.id, new.content); end`);
  const rows = Array.from({ length: batch }, () => '(?, ?, ?, ?, ?, ?, ?)').join(', ');
  const insert = db.prepare(
    `insert into im_private_message (tmp_id, send_id, recv_id, content, type, status, send_time) values ${rows} on conflict (send_id, tmp_id) do nothing returning id, send_id, tmp_id`,
  );
  const ids = Array.from({ length: batch }, () => '?').join(', ');
  const update = db.prepare(`update im_private_message set status = 1 where id in (${ids}) and status = 0`);
  const index = db.prepare(
    'insert into im_private_message_fts(rowid, content) select id, content from im_private_message where id > ? and id <= ?',
  );
  let indexed =
    (db.prepare('select max(id) as m from im_private_message').get() as { m: number | null }).m ?? 0;
  let previous: number[] = [];
  const start = process.cpuUsage();
  const tag = `${v.name.slice(0, 4)}${Date.now()}`;
  for (let n = 0; n < messages; n += batch) {
    const args: unknown[] = [];
    for (let i = 0; i < batch; i++)
      args.push(
        `${tag}-${n + i}`,
        1,
        2,
        `hello 你好 message number ${n + i} of the bench`,
        0,
        0,
        new Date().toISOString(),
      );
    db.exec('begin');
    const inserted = insert.all(...args) as { id: number }[];
    if (v.delivered && previous.length === batch) update.run(...previous);
    db.exec('commit');
    previous = inserted.map((r) => r.id);
    const last = Math.max(...previous);
    if (v.ftsEvery && Math.floor((n + batch) / v.ftsEvery) > Math.floor(n / v.ftsEvery)) {
      db.exec('begin');
      index.run(indexed, last);
      db.exec('commit');
      indexed = last;
    }
  }
  const used = process.cpuUsage(start);
  if (v.ftsEvery) index.run(indexed, Number.MAX_SAFE_INTEGER);
  if (v.autocheckpoint === 0) db.pragma('wal_checkpoint(PASSIVE)');
  db.close();
  return (used.user + used.system) / messages;
}

const dir = mkdtempSync(join(tmpdir(), 'sqlite-micro-'));
try {
  const file = await prepare(dir);
  const results = new Map<string, number[]>(VARIANTS.map((v) => [v.name, []]));
  for (let r = 0; r < rounds; r++)
    for (const v of r % 2 ? [...VARIANTS].reverse() : VARIANTS) results.get(v.name)!.push(run(file, v));
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const base = median(results.get(VARIANTS[0]!.name)!);
  for (const [name, xs] of results)
    console.log(`${name}: ${median(xs).toFixed(1)} µs CPU/msg (${(median(xs) / base).toFixed(2)}x)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
