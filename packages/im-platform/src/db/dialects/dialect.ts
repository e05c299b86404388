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
}

export interface PoolStats {
  /** Connections open (busy + idle). */
  total: number;
  idle: number;
  /** Queries waiting for a connection. */
  waiting: number;
}
