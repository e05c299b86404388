import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';

/** The file of a `sqlite:` URL: `sqlite:./data/im.db`, `sqlite:/abs/path.db`, `sqlite::memory:`. */
export function sqliteFileOf(url: string): string {
  return url.replace(/^sqlite:(\/\/)?/, '') || ':memory:';
}

/** Bytes the WAL file is cut back to when it restarts (SQLite's `journal_size_limit`). */
export const WAL_SIZE_LIMIT = 16 * 1024 * 1024;

/**
 * A better-sqlite3 connection with the pragmas every SQLite handle uses, in-thread or in the
 * SQLite worker (one place, so both behave the same).
 */
export function openSqliteConnection(file: string): SQLite.Database {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const database = new SQLite(file);
  database.pragma('journal_mode = WAL');
  // NORMAL in WAL mode: a commit is in the WAL file before it returns, so a crash or kill of
  // the process loses nothing that was answered, and the database stays consistent on power
  // loss; only an OS crash or power loss may roll back the last commits (the WAL is synced at
  // checkpoints). FULL syncs every commit: 4.2 ms per commit on the bench machine's disk,
  // blocking the thread that runs it (better-sqlite3 is synchronous), even with group commit.
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  // After a burst the WAL file keeps its largest size (the backstop lets it reach ~40 MiB when
  // the checkpointer falls behind on busy cores); when a checkpoint restarts it, cut it back.
  database.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT}`);
  return database;
}

/** SQLite's unique-key violations (better-sqlite3's error codes, kept across the worker). */
export function isSqliteUniqueViolation(e: unknown): boolean {
  return (
    typeof e === 'object' &&
    e !== null &&
    String((e as { code?: unknown }).code).startsWith('SQLITE_CONSTRAINT_UNIQUE')
  );
}
