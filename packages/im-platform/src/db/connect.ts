import type { DialectHandle } from './dialects/dialect';
import { openMysql } from './dialects/mysql';
import { openPostgres } from './dialects/postgres';
import { openSqlite, type SqliteOptions } from './dialects/sqlite';

/** Open the database named by `DATABASE_URL`: `sqlite:…`, `mysql://…` or `postgres://…`. */
export function openDatabase(
  url: string,
  poolSize = 10,
  onError?: (error: unknown) => void,
  sqlite: SqliteOptions = {},
): DialectHandle {
  if (url.startsWith('sqlite:')) return openSqlite(url, sqlite);
  if (url.startsWith('mysql://') || url.startsWith('mariadb://')) {
    return openMysql(url.replace(/^mariadb:/, 'mysql:'), poolSize, onError);
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://'))
    return openPostgres(url, poolSize, onError);
  throw new Error(`unsupported DATABASE_URL scheme: ${url.split(':')[0]}`);
}
