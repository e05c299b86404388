import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from '../schema';
import type { DialectHandle } from './dialect';
import { SqliteDatePlugin } from './sqlite-date-plugin';
import { CachedStatements } from './sqlite-statement-cache';

/** `sqlite:./data/im.db`, `sqlite::memory:`, `sqlite:/abs/path.db` */
export function openSqlite(url: string): DialectHandle {
  const file = url.replace(/^sqlite:(\/\/)?/, '') || ':memory:';
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const database = new SQLite(file);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: new CachedStatements(database) }),
    plugins: [new SqliteDatePlugin()],
  });
  return {
    name: 'sqlite',
    db,
    // One in-process connection; queries run synchronously, so it is never seen busy.
    poolStats: () => ({ total: 1, idle: 1, waiting: 0 }),
    isUniqueViolation: (e) =>
      typeof e === 'object' &&
      e !== null &&
      String((e as { code?: unknown }).code).startsWith('SQLITE_CONSTRAINT_UNIQUE'),
  };
}
