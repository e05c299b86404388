/**
 * The SQLite worker driver's own guarantees (the db contract suites run on it as
 * 'sqlite-worker' too): one connection shared safely (a transaction has it alone, statements
 * from outside neither join nor wait for nothing), errors as the in-thread driver throws them,
 * a clear error when the worker cannot open the file or dies, and a clean close.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, sql, type Generated } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DialectHandle } from '../../src/db';
import { SqliteWorkerClient } from '../../src/db/dialects/sqlite-worker/client';
import { SqliteWorkerDialect, SqliteWorkerDriver } from '../../src/db/dialects/sqlite-worker/driver';

const dir = mkdtempSync(join(tmpdir(), 'im-sqlite-worker-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface T {
  t: { id: Generated<number>; v: string; b: Buffer | null };
}

describe('SQLite worker driver', () => {
  let h: DialectHandle;
  let db: Kysely<T>;
  beforeAll(async () => {
    h = openDatabase(`sqlite:${join(dir, 'a.db')}`, 1, undefined, { worker: true });
    db = h.db as unknown as Kysely<T>;
    await sql`create table t (id integer primary key, v text not null unique, b blob)`.execute(db);
  });
  afterAll(async () => {
    await h.db.destroy();
  });

  it('runs with the pragmas of the in-thread handle', async () => {
    const pragma = async (name: string) =>
      Object.values((await sql.raw(`pragma ${name}`).execute(db)).rows[0] as object)[0] as unknown;
    expect(await pragma('journal_mode')).toBe('wal');
    expect(await pragma('synchronous')).toBe(1);
    expect(await pragma('foreign_keys')).toBe(1);
    expect(await pragma('busy_timeout')).toBe(5000);
  });

  it('throws SqliteError with its code, and the handle sees a unique violation', async () => {
    await db.insertInto('t').values({ v: 'dup' }).execute();
    const error = await db
      .insertInto('t')
      .values({ v: 'dup' })
      .execute()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SQLite.SqliteError);
    expect((error as { code: string }).code).toBe('SQLITE_CONSTRAINT_UNIQUE');
    expect((error as Error).message).toMatch(/UNIQUE constraint failed: t\.v/);
    expect(h.isUniqueViolation(error)).toBe(true);
  });

  it('returns insert ids and affected rows as kysely does, BLOBs as Buffers', async () => {
    const r = await db
      .insertInto('t')
      .values({ v: 'blob', b: Buffer.from([1, 2, 3]) })
      .executeTakeFirst();
    expect(typeof r.insertId).toBe('bigint');
    const row = await db
      .selectFrom('t')
      .selectAll()
      .where('id', '=', Number(r.insertId))
      .executeTakeFirstOrThrow();
    expect(Buffer.isBuffer(row.b)).toBe(true);
    expect([...row.b!]).toEqual([1, 2, 3]);
    const u = await db
      .updateTable('t')
      .set({ v: 'blob2' })
      .where('id', '=', Number(r.insertId))
      .executeTakeFirst();
    expect(u.numUpdatedRows).toBe(1n);
  });

  it('keeps a statement from outside out of an open transaction (its rollback does not undo it)', async () => {
    let outside: Promise<unknown> | undefined;
    const failed = await db
      .transaction()
      .execute(async (trx) => {
        await trx.insertInto('t').values({ v: 'in-tx' }).execute();
        outside = db.insertInto('t').values({ v: 'outside' }).execute();
        await new Promise((r) => setTimeout(r, 20));
        throw new Error('roll back');
      })
      .catch((e: Error) => e.message);
    await outside;
    expect(failed).toBe('roll back');
    const values = (await db.selectFrom('t').select('v').execute()).map((r) => r.v);
    expect(values).toContain('outside');
    expect(values).not.toContain('in-tx');
  });

  it('runs transactions one at a time, each seeing only its own writes before commit', async () => {
    const seen: number[] = [];
    const run = (v: string) =>
      db.transaction().execute(async (trx) => {
        const before = await trx
          .selectFrom('t')
          .select(sql<number>`count(*)`.as('n'))
          .executeTakeFirstOrThrow();
        await trx.insertInto('t').values({ v }).execute();
        await new Promise((r) => setTimeout(r, 5));
        const after = await trx
          .selectFrom('t')
          .select(sql<number>`count(*)`.as('n'))
          .executeTakeFirstOrThrow();
        seen.push(after.n - before.n);
      });
    await Promise.all(['p1', 'p2', 'p3', 'p4'].map(run));
    expect(seen).toEqual([1, 1, 1, 1]);
  });

  it('answers reads sent together without waiting on each other, in order', async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => sql<{ x: number }>`select ${i} as x`.execute(db)),
    );
    expect(results.map((r) => r.rows[0]!.x)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });
});

describe('SQLite worker lifecycle', () => {
  it('fails with the reason when the file cannot be opened', async () => {
    const notAFile = join(dir, 'is-a-folder');
    mkdirSync(notAFile);
    const h = openDatabase(`sqlite:${notAFile}`, 1, undefined, { worker: true });
    await expect(sql`select 1`.execute(h.db)).rejects.toThrow(/unable to open database file/);
  });

  it('worker death: what is in flight and every later query fail clearly, the owner is told once', async () => {
    const deaths: Error[] = [];
    const client = new SqliteWorkerClient(join(dir, 'b.db'), (e) => deaths.push(e));
    const db = new Kysely<T>({ dialect: new SqliteWorkerDialect(new SqliteWorkerDriver(() => client)) });
    await sql`create table t (id integer primary key, v text)`.execute(db);
    const inFlight = sql`select 1`.execute(db);
    await client['worker'].terminate();
    await expect(inFlight).rejects.toThrow(/SQLite worker exited unexpectedly/);
    await expect(db.insertInto('t').values({ v: 'late' }).execute()).rejects.toThrow(
      /SQLite worker exited unexpectedly/,
    );
    expect(deaths).toHaveLength(1);
  });

  it('closes cleanly: the data is on disk for the next opener, later queries fail', async () => {
    const url = `sqlite:${join(dir, 'c.db')}`;
    const h = openDatabase(url, 1, undefined, { worker: true });
    await sql`create table t (id integer primary key, v text)`.execute(h.db);
    await sql`insert into t (v) values ('kept')`.execute(h.db);
    await h.db.destroy();
    await expect(sql`select 1`.execute(h.db)).rejects.toThrow();
    const again = openDatabase(url);
    expect((await sql<{ v: string }>`select v from t`.execute(again.db)).rows).toEqual([{ v: 'kept' }]);
    await again.db.destroy();
  });

  it('worker death by default: logged as fatal through the given logger, then the process exits', () => {
    const src = resolve(import.meta.dirname, '../../src/db/dialects');
    const script = `
      import pino from 'pino';
      import { exitOnWorkerDeath } from ${JSON.stringify(join(src, 'sqlite.ts'))};
      import { SqliteWorkerClient } from ${JSON.stringify(join(src, 'sqlite-worker/client.ts'))};
      const client = new SqliteWorkerClient(process.argv[1], exitOnWorkerDeath(pino()));
      await client.ready;
      await client['worker'].terminate();
      setTimeout(() => process.exit(0), 10000);`;
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script, join(dir, 'death.db')],
      { encoding: 'utf8', cwd: import.meta.dirname },
    );
    expect(child.status).toBe(1);
    const entry = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
    expect(entry).toMatchObject({ level: 60, msg: expect.stringMatching(/SQLite worker died/) });
    expect(entry['err']).toMatchObject({ message: expect.stringMatching(/exited unexpectedly/) });
  });

  const dist = resolve(import.meta.dirname, '../../dist/db');
  it.skipIf(!existsSync(join(dist, 'dialects/sqlite-worker/worker.js')))(
    'runs from the compiled build under plain node (worker.js beside the driver)',
    () => {
      const script = `
        import { migrateToLatest, openDatabase } from ${JSON.stringify(join(dist, 'index.js'))};
        const h = openDatabase(process.argv[1], 1, undefined, { worker: true });
        const applied = await migrateToLatest(h.db, h.name);
        await h.db.insertInto('im_sensitive_word').values({ content: 'w', enabled: 1, create_time: new Date(), creator: 1 }).execute();
        const rows = await h.db.selectFrom('im_sensitive_word').select(['content', 'create_time']).execute();
        const cpu = await h.workerCpuMicros();
        await h.db.destroy();
        console.log(JSON.stringify({ applied: applied.length, rows: rows.length, date: rows[0].create_time instanceof Date, cpu: cpu > 0 }));`;
      const out = execFileSync(
        process.execPath,
        ['--expose-gc', '--input-type=module', '-e', script, `sqlite:${join(dir, 'dist.db')}`],
        { encoding: 'utf8' },
      );
      const result = JSON.parse(out.trim().split('\n').at(-1)!) as Record<string, unknown>;
      expect(result).toMatchObject({ rows: 1, date: true, cpu: true });
      expect(result['applied']).toBeGreaterThan(10);
    },
  );
});
