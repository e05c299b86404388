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
  // NORMAL in WAL mode: a commit is in the WAL file before it returns, so a crash or kill of
  // the process loses nothing that was answered, and the database stays consistent on power
  // loss; only an OS crash or power loss may roll back the last commits (the WAL is synced at
  // checkpoints). FULL syncs every commit: 4.2 ms per commit on the bench machine's disk,
  // blocking the event loop (better-sqlite3 is synchronous), even with group commit.
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
