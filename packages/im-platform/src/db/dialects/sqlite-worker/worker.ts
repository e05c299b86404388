/**
 * The SQLite worker thread: owns the better-sqlite3 connection of a `sqlite:` file and runs
 * the statements the main thread sends, in the order they arrive (one connection: the main
 * thread's driver decides what may be sent when). Statements are prepared once (statement
 * cache); the pragmas are those of the in-thread handle.
 */
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import type { Database } from 'better-sqlite3';
import { openSqliteConnection } from '../sqlite-open';
import { CachedStatements } from '../sqlite-statement-cache';
import type { Hello, Reply, Request, SerializedError, WorkerInit } from './protocol';

const port = parentPort!;
const init = workerData as WorkerInit;

function serialize(error: unknown): SerializedError {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { name: error.name, message: error.message, ...(typeof code === 'string' ? { code } : {}) };
  }
  return { name: 'Error', message: String(error) };
}

let database: Database;
let statements: CachedStatements;
try {
  database = openSqliteConnection(init.file);
  statements = new CachedStatements(database);
  port.postMessage({ ready: true } satisfies Hello);
} catch (error) {
  port.postMessage({ ready: false, error: serialize(error) } satisfies Hello);
  process.exit(1);
}

function hasBlob(rows: Record<string, unknown>[]): boolean {
  for (const row of rows) for (const key in row) if (Buffer.isBuffer(row[key])) return true;
  return false;
}

/**
 * This thread's CPU time in µs: Linux's per-thread run time (Node 20 has no per-thread CPU
 * usage); elsewhere the event loop's busy time, which also counts time spent waiting for a core.
 */
function cpuMicros(): number {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1000;
  } catch {
    return performance.eventLoopUtilization().active * 1000;
  }
}

function query(r: Extract<Request, { op: 'query' }>): Reply {
  if (!r.tx && database.inTransaction)
    throw new Error('SQLite worker: a statement outside a transaction arrived while one is open');
  if (r.begin) database.exec('BEGIN');
  const stmt = statements.prepare(r.sql);
  if (stmt.reader) {
    const rows = stmt.all(r.params) as Record<string, unknown>[];
    return { id: r.id, rows, blobs: hasBlob(rows) };
  }
  const { changes, lastInsertRowid } = stmt.run(r.params);
  return { id: r.id, rows: [], blobs: false, changes, lastInsertRowid };
}

function run(r: Request): Reply {
  try {
    switch (r.op) {
      case 'query':
        return query(r);
      case 'commit':
        database.exec('COMMIT');
        return { id: r.id, rows: [], blobs: false };
      case 'rollback':
        if (database.inTransaction) database.exec('ROLLBACK');
        return { id: r.id, rows: [], blobs: false };
      case 'cpu':
        return { id: r.id, rows: [{ micros: cpuMicros() }], blobs: false };
      case 'close':
        statements.close();
        return { id: r.id, rows: [], blobs: false };
    }
  } catch (error) {
    // A failed COMMIT may leave the transaction open: roll it back now, before the statements
    // queued behind it run (the driver sends them without waiting for the COMMIT's answer).
    if (r.op === 'commit' && database.inTransaction) database.exec('ROLLBACK');
    return { id: r.id, error: serialize(error) };
  }
}

port.on('message', (requests: Request[]) => {
  const replies = requests.map(run);
  port.postMessage(replies);
  if (requests.some((r) => r.op === 'close')) port.close();
});
