/** A fresh MariaDB or PostgreSQL database for one clustered persisted run (dropped after). */
import mysql from 'mysql2/promise';
import pg from 'pg';

export type Engine = 'sqlite' | 'mysql' | 'postgres';

export interface BenchDatabase {
  url: string;
  drop(): Promise<void>;
}

const MYSQL_URL = process.env['IM_TEST_MYSQL_URL'] ?? 'mysql://root@127.0.0.1:3306';
const POSTGRES_URL = process.env['IM_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432';

function withDatabase(base: string, name: string): string {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function createBenchDatabase(engine: 'mysql' | 'postgres'): Promise<BenchDatabase> {
  const name = `im_bench_${Date.now().toString(36)}`;
  if (engine === 'mysql') {
    const run = async (sql: string) => {
      const c = await mysql.createConnection({ uri: MYSQL_URL });
      await c.query(sql);
      await c.end();
    };
    await run(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);
    return { url: withDatabase(MYSQL_URL, name), drop: () => run(`DROP DATABASE IF EXISTS \`${name}\``) };
  }
  const run = async (sql: string) => {
    const c = new pg.Client({ connectionString: POSTGRES_URL });
    await c.connect();
    await c.query(sql);
    await c.end();
  };
  await run(`CREATE DATABASE ${name}`);
  return {
    url: withDatabase(POSTGRES_URL, name),
    drop: () => run(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}
