/** A fresh MariaDB or PostgreSQL database for one clustered persisted run (dropped after). */
import { readdirSync, readFileSync } from 'node:fs';
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

const SERVICE_PROCESSES: Record<Engine, string[]> = {
  sqlite: ['redis-server'],
  mysql: ['mariadbd', 'mysqld', 'redis-server'],
  postgres: ['postgres', 'redis-server'],
};

/**
 * CPU time (µs, user + system) of the database server and Redis processes on this machine,
 * read from /proc (Linux; 0 elsewhere). Counts every client of theirs: on a shared machine,
 * other work on the same servers is counted too. A PostgreSQL backend that exits in between
 * takes its time with it (the bench's pool keeps its connections open).
 */
export function servicesCpuMicros(engine: Engine): number {
  const names = SERVICE_PROCESSES[engine];
  let ticks = 0;
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return 0;
  }
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      if (!names.includes(comm)) continue;
      const fields = stat.slice(close + 2).split(' ');
      // utime and stime are fields 14 and 15 of stat (here 0-based 11 and 12 after the comm).
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // The process exited meanwhile.
    }
  }
  // Linux reports clock ticks of 1/100 s (USER_HZ).
  return ticks * 10_000;
}
