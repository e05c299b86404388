/**
 * WAL checkpoints in a worker thread: the writer's connection no longer checkpoints (its
 * commits never pay the copy and fsync), the worker does, so the WAL stays bounded as with
 * SQLite's automatic checkpoint; the data is all there; a failed worker gives the writer its
 * automatic checkpoint back; closing the database stops the worker.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db';
import { SqliteCheckpointer } from '../../src/db/dialects/sqlite-checkpointer';

const dir = mkdtempSync(join(tmpdir(), 'im-ckpt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function open(name: string) {
  const file = join(dir, name);
  const db = new SQLite(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('create table t (id integer primary key, body text)');
  return { db, file };
}

/** 400 transactions of ~16 KiB each, letting the event loop (and the worker) run between. */
async function write(db: SQLite.Database): Promise<void> {
  const insert = db.prepare('insert into t (body) values (?)');
  for (let i = 0; i < 400; i++) {
    insert.run('x'.repeat(16_000) + i);
    if (i % 20 === 0) await sleep(30);
  }
}

describe('SQLite checkpoints in a worker thread', () => {
  it('keeps the WAL bounded without the writer checkpointing, and loses nothing', async () => {
    const control = open('control.db');
    control.db.pragma('wal_autocheckpoint = 0');
    const tested = open('tested.db');
    const checkpointer = new SqliteCheckpointer(tested.db, tested.file, 20);
    expect(tested.db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    await write(control.db);
    await write(tested.db);
    await sleep(100);
    expect(await checkpointer.count()).toBeGreaterThan(0);
    const walControl = statSync(`${control.file}-wal`).size;
    const walTested = statSync(`${tested.file}-wal`).size;
    // Without checkpoints the WAL holds every page written (~6.4 MB); with them it restarts.
    expect(walControl).toBeGreaterThan(6_000_000);
    expect(walTested).toBeLessThan(walControl / 4);
    expect(tested.db.prepare('select count(*) as n from t').get()).toEqual({ n: 400 });
    checkpointer.stop();
    await checkpointer.exited;
    tested.db.close();
    control.db.close();
    // Everything was checkpointed into the file: a new connection reads it all.
    const reopened = new SQLite(tested.file, { readonly: true });
    expect(reopened.prepare('select count(*) as n from t').get()).toEqual({ n: 400 });
    reopened.close();
  });

  it('gives the writer its automatic checkpoint back when the worker dies', async () => {
    const { db, file } = open('crash.db');
    const checkpointer = new SqliteCheckpointer(db, file, 20);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    await checkpointer.crashForTest();
    await checkpointer.exited;
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    db.close();
  });

  it('runs for file databases opened by the platform, not for :memory:', async () => {
    const h = openDatabase(`sqlite:${join(dir, 'platform.db')}`);
    const { sql } = await import('kysely');
    const auto = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(h.db);
    expect(auto.rows[0]?.wal_autocheckpoint).toBe(0);
    await h.db.destroy();
    const memory = openDatabase('sqlite::memory:');
    const autoMemory = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(memory.db);
    expect(autoMemory.rows[0]?.wal_autocheckpoint).toBe(1000);
    await memory.db.destroy();
  });
});
