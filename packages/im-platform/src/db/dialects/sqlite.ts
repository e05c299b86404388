import { Kysely, SqliteDialect } from 'kysely';
import pino, { type Logger } from 'pino';
import type { Database } from '../schema';
import type { DialectHandle } from './dialect';
import { SqliteDatePlugin } from './sqlite-date-plugin';
import { isSqliteUniqueViolation, openSqliteConnection, sqliteFileOf } from './sqlite-open';
import { checkpointInThread } from './sqlite-checkpointer';
import { CachedStatements } from './sqlite-statement-cache';
import { SqliteWorkerClient } from './sqlite-worker/client';
import { SqliteWorkerDialect, SqliteWorkerDriver } from './sqlite-worker/driver';

export interface SqliteOptions {
  /**
   * Run the statements in a worker thread that owns the connection (the main thread only
   * sends them), for a file database; `sqlite::memory:` always runs in-thread.
   */
  worker?: boolean;
  /** A file database in the main thread: checkpoint its WAL from a thread of its own. */
  checkpointThread?: boolean;
  /** The worker died: what is in flight failed. Default: `exitOnWorkerDeath(log)`. */
  onWorkerDeath?: (error: Error) => void;
  /**
   * Where the checkpointer thread's failure and the worker's death are logged.
   * @default a pino logger of its own (JSON lines on stdout)
   */
  log?: Logger;
}

/** The worker died: log it as fatal and exit the process (the writes in flight were not stored). */
export function exitOnWorkerDeath(log: Logger): (error: Error) => void {
  return (err) => {
    log.fatal({ err }, 'SQLite worker died: exiting (writes in flight were not stored)');
    process.exit(1);
  };
}

/** `sqlite:./data/im.db`, `sqlite::memory:`, `sqlite:/abs/path.db` */
export function openSqlite(url: string, options: SqliteOptions = {}): DialectHandle {
  const file = sqliteFileOf(url);
  const log = options.log ?? pino({ name: 'sqlite' });
  if (options.worker && file !== ':memory:')
    return openSqliteWorker(file, options.onWorkerDeath ?? exitOnWorkerDeath(log));
  const connection = openSqliteConnection(file);
  const stopCheckpoints =
    options.checkpointThread && file !== ':memory:' ? checkpointInThread(connection, file, log) : undefined;
  const statements = new CachedStatements(connection, undefined, stopCheckpoints);
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: statements }),
    plugins: [new SqliteDatePlugin()],
  });
  return {
    name: 'sqlite',
    db,
    // One in-process connection; queries run synchronously, so it is never seen busy.
    poolStats: () => ({ total: 1, idle: 1, waiting: 0 }),
    isUniqueViolation: isSqliteUniqueViolation,
    sqliteConnection: statements,
  };
}

function openSqliteWorker(file: string, onDeath: (error: Error) => void): DialectHandle {
  const driver = new SqliteWorkerDriver(() => new SqliteWorkerClient(file, onDeath));
  const db = new Kysely<Database>({
    dialect: new SqliteWorkerDialect(driver),
    plugins: [new SqliteDatePlugin()],
  });
  return {
    name: 'sqlite',
    db,
    poolStats: () => ({ total: 1, idle: driver.inTransaction ? 0 : 1, waiting: driver.queued }),
    isUniqueViolation: isSqliteUniqueViolation,
    workerCpuMicros: () => driver.cpuMicros(),
  };
}
