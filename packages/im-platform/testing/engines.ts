/**
 * Database engines the tests run on: SQLite always; MariaDB/MySQL and PostgreSQL when
 * IM_TEST_MYSQL_URL / IM_TEST_POSTGRES_URL point at a server (CI sets both). Each test
 * suite gets a fresh database of its own, so suites can run in parallel.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';

export type Engine = 'sqlite' | 'mysql' | 'postgres';

export const ENGINES: Engine[] = [
  'sqlite',
  ...(process.env['IM_TEST_MYSQL_URL'] ? (['mysql'] as const) : []),
  ...(process.env['IM_TEST_POSTGRES_URL'] ? (['postgres'] as const) : []),
];

/**
 * The database implementations behind kysely: each engine, and SQLite once more with its
 * statements run in the SQLite worker thread (`SQLITE_WORKER=on`). The database contract
 * suites run on each: pass `options` to `openDatabase`.
 */
export const DB_IMPLEMENTATIONS: { label: string; engine: Engine; options: { worker?: boolean } }[] = [
  ...ENGINES.map((engine) => ({ label: engine, engine, options: {} })),
  { label: 'sqlite-worker', engine: 'sqlite', options: { worker: true } },
];

export const REDIS_URL = process.env['IM_TEST_REDIS_URL'];

export interface TestDatabase {
  engine: Engine;
  url: string;
  drop(): Promise<void>;
}

function withDatabase(base: string, name: string): string {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A new, empty database on `engine`. */
export async function createTestDatabase(engine: Engine): Promise<TestDatabase> {
  const name = `im_t_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  if (engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'im-db-'));
    return {
      engine,
      url: `sqlite:${join(dir, 'im.db')}`,
      drop: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })),
    };
  }
  if (engine === 'mysql') {
    const base = process.env['IM_TEST_MYSQL_URL']!;
    const admin = await mysql.createConnection({ uri: base });
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);
    await admin.end();
    return {
      engine,
      url: withDatabase(base, name),
      drop: async () => {
        const c = await mysql.createConnection({ uri: base });
        await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
        await c.end();
      },
    };
  }
  const base = process.env['IM_TEST_POSTGRES_URL']!;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  return {
    engine,
    url: withDatabase(base, name),
    drop: async () => {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}
