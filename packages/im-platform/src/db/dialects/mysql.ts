import { Kysely, MysqlDialect } from 'kysely';
import { createPool } from 'mysql2';
import type { Database } from '../schema';
import type { DialectHandle } from './dialect';

/** `mysql://user:pass@host:3306/im_platform` (MySQL 8 or MariaDB 10.6+). */
export function openMysql(url: string, poolSize: number, onError?: (error: unknown) => void): DialectHandle {
  const pool = createPool({
    uri: url,
    connectionLimit: poolSize,
    charset: 'utf8mb4',
    // Ids are BIGINT; values stay far below 2^53, so plain numbers are exact.
    supportBigNumbers: false,
    dateStrings: false,
  });
  // Errors of idle connections are reported, never thrown at the process.
  pool.on('connection', (connection) => connection.on('error', (error) => onError?.(error)));
  const db = new Kysely<Database>({ dialect: new MysqlDialect({ pool }) });
  // mysql2 keeps its pool's state in underscored fields (no public accessor).
  const state = pool as unknown as Record<
    '_allConnections' | '_freeConnections' | '_connectionQueue',
    { length: number }
  >;
  return {
    name: 'mysql',
    db,
    poolStats: () => ({
      total: state._allConnections.length,
      idle: state._freeConnections.length,
      waiting: state._connectionQueue.length,
    }),
    isUniqueViolation: (e) =>
      typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 'ER_DUP_ENTRY',
  };
}
