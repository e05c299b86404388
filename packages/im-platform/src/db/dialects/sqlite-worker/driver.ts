import {
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
} from 'kysely';
import type { Result, SqliteWorkerClient } from './client';

/**
 * kysely's driver for the SQLite worker. One connection (the worker's), so as kysely's
 * SqliteDriver does, a transaction has it alone: a statement from outside waits until the
 * transaction's COMMIT or ROLLBACK has been sent, then follows it (the worker runs requests in
 * order and rolls a failed COMMIT back before the next). Outside transactions, statements do
 * not wait for each other's answers: they are sent at once and run in order. A transaction's
 * BEGIN travels with its first statement (one round trip less per transaction).
 */
export class SqliteWorkerDriver implements Driver {
  /** The connection whose transaction holds the worker. */
  private owner: WorkerConnection | undefined;
  /** Statements and transactions waiting for the transaction to end, in arrival order. */
  private readonly waiting: (() => void)[] = [];

  private started: SqliteWorkerClient | undefined;

  /** `start` runs at kysely's first query: a handle never used starts no thread. */
  constructor(private readonly start: () => SqliteWorkerClient) {}

  init(): Promise<void> {
    this.started ??= this.start();
    return this.started.ready;
  }

  /** The worker (kysely calls `init` before any query). */
  get client(): SqliteWorkerClient {
    if (!this.started) throw new Error('SQLite worker driver used before init');
    return this.started;
  }

  /** The worker thread's CPU time so far in µs, 0 before it started. */
  cpuMicros(): Promise<number> {
    return this.started ? this.started.cpuMicros() : Promise.resolve(0);
  }

  acquireConnection(): Promise<DatabaseConnection> {
    return Promise.resolve(new WorkerConnection(this));
  }

  beginTransaction(connection: DatabaseConnection): Promise<void> {
    const c = connection as WorkerConnection;
    if (!this.owner) {
      this.own(c);
      return Promise.resolve();
    }
    return new Promise((resolve) =>
      this.waiting.push(() => {
        this.own(c);
        resolve();
      }),
    );
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.end(connection as WorkerConnection, 'commit');
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.end(connection as WorkerConnection, 'rollback');
  }

  releaseConnection(): Promise<void> {
    return Promise.resolve();
  }

  destroy(): Promise<void> {
    return this.started ? this.started.close() : Promise.resolve();
  }

  /** Statements and transactions waiting (for the pool metric). */
  get queued(): number {
    return this.waiting.length;
  }

  get inTransaction(): boolean {
    return this.owner !== undefined;
  }

  /** Run `sql` for `c`: now, or once the transaction holding the worker has ended. */
  execute(c: WorkerConnection, q: CompiledQuery): Promise<Result> {
    if (this.owner === c) {
      const begin = c.beginPending;
      c.beginPending = false;
      return this.client.send({ op: 'query', sql: q.sql, params: q.parameters, begin, tx: true });
    }
    if (!this.owner)
      return this.client.send({ op: 'query', sql: q.sql, params: q.parameters, begin: false, tx: false });
    return new Promise((resolve, reject) =>
      this.waiting.push(() => void this.execute(c, q).then(resolve, reject)),
    );
  }

  private own(c: WorkerConnection): void {
    this.owner = c;
    c.beginPending = true;
  }

  private end(c: WorkerConnection, op: 'commit' | 'rollback'): Promise<void> {
    // Already ended (a failed COMMIT is rolled back by the worker; kysely then rolls back).
    if (this.owner !== c) return Promise.resolve();
    // BEGIN not sent yet: nothing ran, nothing to end.
    const answer = c.beginPending ? Promise.resolve() : this.client.send({ op });
    c.beginPending = false;
    this.owner = undefined;
    while (!this.owner && this.waiting.length > 0) this.waiting.shift()!();
    return answer.then(() => undefined);
  }
}

class WorkerConnection implements DatabaseConnection {
  beginPending = false;

  constructor(private readonly driver: SqliteWorkerDriver) {}

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const r = await this.driver.execute(this, compiledQuery);
    if (r.blobs) for (const row of r.rows) for (const key in row) toBuffer(row, key);
    if (r.changes === undefined) return { rows: r.rows as R[] };
    return {
      rows: [],
      numAffectedRows: BigInt(r.changes),
      ...(r.lastInsertRowid !== undefined ? { insertId: BigInt(r.lastInsertRowid) } : {}),
    };
  }

  /** The rows come in one chunk: the worker reads them all before answering. */
  async *streamQuery<R>(compiledQuery: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    yield await this.executeQuery<R>(compiledQuery);
  }
}

/** A BLOB arrives as a plain Uint8Array: make it the Buffer better-sqlite3 returns in-thread. */
function toBuffer(row: Record<string, unknown>, key: string): void {
  const v = row[key];
  if (v instanceof Uint8Array && !Buffer.isBuffer(v))
    row[key] = Buffer.from(v.buffer, v.byteOffset, v.byteLength);
}

/** kysely's SQLite dialect with the worker driver. */
export class SqliteWorkerDialect implements Dialect {
  constructor(private readonly driver: SqliteWorkerDriver) {}
  createDriver(): Driver {
    return this.driver;
  }
  createQueryCompiler() {
    return new SqliteQueryCompiler();
  }
  createAdapter() {
    return new SqliteAdapter();
  }
  createIntrospector(db: Kysely<unknown>) {
    return new SqliteIntrospector(db);
  }
}
