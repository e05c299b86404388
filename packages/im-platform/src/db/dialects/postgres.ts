import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from '../schema';
import type { DialectHandle } from './dialect';

// BIGINT (int8) and COUNT(*) come back as strings by default; ids stay below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

/** `postgres://user:pass@host:5432/im_platform` */
export function openPostgres(
  url: string,
  poolSize: number,
  onError?: (error: unknown) => void,
): DialectHandle {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle connection that the server drops (restart, admin kill) is discarded by the pool;
  // without a listener that event would crash the process.
  pool.on('error', (error) => onError?.(error));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    name: 'postgres',
    db,
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    isUniqueViolation: (e) =>
      typeof e === 'object' && e !== null && (e as { code?: unknown }).code === '23505',
  };
}
