import type { Kysely } from 'kysely';
import type { Database } from '../schema';

export type DialectName = 'sqlite' | 'mysql' | 'postgres';

/**
 * What differs between engines, behind one shape: each dialect folder builds a Kysely
 * instance configured so that ids come back as JS numbers and datetimes as Dates, and says
 * how its engine reports a unique-key violation.
 */
export interface DialectHandle {
  name: DialectName;
  db: Kysely<Database>;
  isUniqueViolation(error: unknown): boolean;
  /** Connections of the pool right now (for the `im_db_pool_connections` metric). */
  poolStats(): PoolStats;
  /** SQLite in a worker thread: the worker thread's CPU time so far, in µs (for the bench). */
  workerCpuMicros?(): Promise<number>;
  /**
   * SQLite in the main thread: its connection's statements, synchronously, bypassing kysely.
   * Only for whoever holds kysely's connection (the group commit, in `db.connection()`):
   * a statement run on it otherwise could land in another caller's open transaction.
   */
  sqliteConnection?: SqliteDirect;
  /**
   * Set on the handle of a group-commit batch that holds the SQLite connection: prepared
   * queries run on it directly (same connection, same transaction as `db`).
   */
  direct?: SqliteDirect;
}

/** A better-sqlite3 statement, as the direct path uses it (parameters bound positionally). */
export interface SqliteDirectStatement {
  readonly reader: boolean;
  all(parameters: readonly unknown[]): unknown[];
  run(parameters: readonly unknown[]): { changes: number; lastInsertRowid: number | bigint };
}

/** A better-sqlite3 connection's cached statements (see `CachedStatements`). */
export interface SqliteDirect {
  prepare(sql: string): SqliteDirectStatement;
  /** Whether a transaction is open on the connection (then the group commit goes through kysely). */
  readonly inTransaction: boolean;
}

export interface PoolStats {
  /** Connections open (busy + idle). */
  total: number;
  idle: number;
  /** Queries waiting for a connection. */
  waiting: number;
}
