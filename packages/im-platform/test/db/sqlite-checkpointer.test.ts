/**
 * The WAL checkpointer thread (SQLITE_CHECKPOINT=thread): the connection no longer
 * checkpoints in its commits (but as a backstop at 10,000 pages), the thread does, so the WAL is copied back into the database
 * file and restarts instead of growing; every committed row is there after close and reopen.
 */
import { statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase, type DialectHandle } from '../../src/db';
import { checkpointInThread } from '../../src/db/dialects/sqlite-checkpointer';
import { sqliteFileOf } from '../../src/db/dialects/sqlite-open';
import { createTestDatabase, type TestDatabase } from '@box-im/im-platform/testing';

let tdb: TestDatabase;
let h: DialectHandle;
beforeAll(async () => {
  tdb = await createTestDatabase('sqlite');
  h = openDatabase(tdb.url, 1, undefined, { checkpointThread: true });
  await sql`create table t (id integer primary key, v text)`.execute(h.db);
});
afterAll(async () => {
  await tdb.drop();
});

/** Frames in the WAL file (a frame: a 4 KiB page and its 24-byte header). */
const walFrames = () => statSync(`${sqliteFileOf(tdb.url)}-wal`).size / 4120;
const autocheckpoint = async () =>
  Number(
    (await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(h.db)).rows[0]
      ?.wal_autocheckpoint,
  );

it('checkpoints from its thread: the WAL restarts, the rows stay', async () => {
  // The connection's own checkpoint is only the backstop, far above what the thread leaves.
  expect(await autocheckpoint()).toBe(10_000);
  const big = 'x'.repeat(3000);
  // ~9,000 frames in 3,000 commits: without checkpoints the WAL would hold them all. With
  // them it restarts after each pause, once the thread runs (its start may lag on a loaded box).
  for (let round = 0; round < 10; round++) {
    for (let i = 0; i < 300; i++) await sql`insert into t (v) values (${big})`.execute(h.db);
    await new Promise((r) => setTimeout(r, 1100));
  }
  expect(walFrames()).toBeLessThan(4000);
});

it('restarts the WAL under steady writes too (no pause for a checkpoint to catch up)', async () => {
  const big = 'x'.repeat(3000);
  // A commit every ~2 ms for 5 s (~2,000 commits, 2 frames each): one PASSIVE pass per second
  // left frames behind every time, so the WAL never restarted and grew to all of them.
  const until = Date.now() + 5000;
  while (Date.now() < until) {
    await sql`insert into t (v) values (${big})`.execute(h.db);
    await new Promise((r) => setTimeout(r, 2));
  }
  expect(walFrames()).toBeLessThan(2500);
}, 30_000);

it('keeps every row across close and reopen', async () => {
  await h.db.destroy();
  h = openDatabase(tdb.url, 1);
  const count = await sql<{ n: number }>`select count(*) as n from t`.execute(h.db);
  expect(Number(count.rows[0]?.n)).toBeGreaterThan(3000);
  expect(await autocheckpoint()).toBe(1000);
  await h.db.destroy();
}, 30_000);

it('a failed thread is logged through the given logger and the connection checkpoints itself', async () => {
  const lines: string[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
  const file = `${sqliteFileOf(tdb.url)}-own`;
  const connection = new SQLite(file);
  connection.pragma('journal_mode = WAL');
  // The thread opens a path whose folder does not exist: it fails at its first statement.
  checkpointInThread(connection, join(tmpdir(), 'no-such-folder-im', 'x.db'), log);
  expect(connection.pragma('wal_autocheckpoint', { simple: true })).toBe(10_000);
  await expect.poll(() => lines.length, { timeout: 10_000 }).toBe(1);
  const entry = JSON.parse(lines[0]!) as { level: number; msg: string; err: { message: string } };
  expect(entry.level).toBe(50);
  expect(entry.msg).toMatch(/checkpointer thread failed/);
  expect(entry.err.message).toMatch(/unable to open database file|directory does not exist/);
  expect(connection.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
  connection.close();
});
