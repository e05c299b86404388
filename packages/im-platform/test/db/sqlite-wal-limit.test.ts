/**
 * The WAL file shrinks back after a burst: a connection opened with the shared pragmas cuts it
 * to WAL_SIZE_LIMIT when a checkpoint lets it restart (without the limit it keeps its largest size).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { openSqliteConnection, WAL_SIZE_LIMIT } from '../../src/db/dialects/sqlite-open';

const folder = mkdtempSync(join(tmpdir(), 'im-wal-limit-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

it('cuts the WAL file back to the limit when it restarts after a burst', () => {
  const file = join(folder, 'burst.db');
  const db = openSqliteConnection(file);
  db.pragma('wal_autocheckpoint = 0');
  db.exec('create table t (id integer primary key, v blob)');
  const insert = db.prepare('insert into t (v) values (?)');
  const row = Buffer.alloc(64 * 1024, 1);
  // ~32 MiB in one burst with no checkpoint: the WAL grows past the limit.
  db.transaction(() => {
    for (let i = 0; i < 512; i++) insert.run(row);
  })();
  const wal = () => statSync(`${file}-wal`).size;
  expect(wal()).toBeGreaterThan(WAL_SIZE_LIMIT * 1.5);
  // A complete checkpoint, then the next commit restarts the WAL from its start.
  db.pragma('wal_checkpoint(PASSIVE)');
  insert.run(Buffer.from('after'));
  expect(wal()).toBeLessThanOrEqual(WAL_SIZE_LIMIT);
  expect(db.prepare('select count(*) as n from t').get()).toEqual({ n: 513 });
  db.close();
});
