import type { DialectHandle, SqliteDirect } from './dialects/dialect';

/** One write of a batch: runs inside the batch's transaction, on the handle it is given. */
export type BatchedWrite<T> = (h: DialectHandle) => Promise<T>;

/**
 * Writes of one kind that one statement can do together (a multi-row INSERT): given the items
 * of consecutive writes of this kind in a batch, their results in the same order, or
 * undefined when it cannot do them together this time (each write then runs on its own).
 */
export type MergedWrite<I, T> = (h: DialectHandle, items: readonly I[]) => Promise<T[] | undefined>;

/** How a write may join the writes of its kind next to it in a batch. */
export interface Merge<I, T> {
  all: MergedWrite<I, T>;
  item: I;
}

interface Pending {
  write: BatchedWrite<unknown>;
  merge: Merge<unknown, unknown> | undefined;
  committed: (() => void) | undefined;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: the message writes submitted while the event loop runs one tick are executed
 * in one database transaction, in the order they were submitted, and each submitter's promise
 * settles only once that transaction has committed (so a request is answered only for what is
 * stored). One batch runs at a time; writes submitted meanwhile form the next batch. Ids are
 * therefore assigned in submission order across batches, which the writers' ordering relies on.
 *
 * A write is one statement and must use only the handle it is given (the batch's transaction):
 * on SQLite a query on the process's own handle waits for the transaction's connection, so it
 * would never run.
 * A write submitted with a `Merge` runs together with the writes of the same kind next to it in
 * its batch, in one statement (their order kept), when there are several.
 * Expected failures (a retried tmpId) are answered by the write itself without an error. An
 * error a write throws rolls its batch back; the batch's writes are then run again one per
 * transaction, in order, so that only the write at fault fails (with its own error, which the
 * HTTP layer maps as usual, e.g. a text the database cannot store) and the others are stored.
 * A write submitted with `committed` has it called once its transaction committed, once per
 * batch however many of the batch's writes carry it (e.g. "messages were stored").
 */
export class GroupCommit {
  private queue: Pending[] = [];
  private running = false;
  private scheduled = false;
  /** Batches committed and writes in them (for the bench and metrics). */
  readonly stats = { batches: 0, writes: 0, statements: 0 };

  constructor(
    private readonly h: DialectHandle,
    private readonly schedule: (run: () => void) => void = (run) => setImmediate(run),
  ) {}

  submit<T, I = never>(write: BatchedWrite<T>, merge?: Merge<I, T>, committed?: () => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({
        write,
        merge: merge as Merge<unknown, unknown> | undefined,
        committed,
        resolve: resolve as (value: unknown) => void,
        reject,
      });
      this.kick();
    });
  }

  private kick(): void {
    if (this.running || this.scheduled || this.queue.length === 0) return;
    this.scheduled = true;
    this.schedule(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  /**
   * The writes in one transaction, in order; their results once committed. A batch of one runs
   * without BEGIN/COMMIT: each write is one statement, atomic on its own, and the two round
   * trips are what a lone request (no load) would pay for nothing on MariaDB and PostgreSQL.
   */
  private async transaction(batch: readonly Pending[]): Promise<unknown[]> {
    const results = this.h.sqliteConnection
      ? await this.onSqliteConnection(this.h.sqliteConnection, batch)
      : batch.length === 1
        ? [await this.one(this.h, batch[0]!)]
        : await this.h.db.transaction().execute((trx) => this.writes({ ...this.h, db: trx }, batch));
    this.stats.batches++;
    this.stats.writes += batch.length;
    return results;
  }

  /**
   * SQLite in the main thread: the batch holds kysely's connection (so no other query runs in
   * between) and runs BEGIN, its prepared statements and COMMIT on it directly, without
   * kysely's executor per statement; what is not prepared still goes through kysely on the
   * held connection (no kysely transaction can be open meanwhile: one holds the connection
   * until it ends). A batch of one runs without BEGIN/COMMIT, as on the other engines.
   */
  private onSqliteConnection(direct: SqliteDirect, batch: readonly Pending[]): Promise<unknown[]> {
    return this.h.db.connection().execute(async (db) => {
      const th: DialectHandle = { ...this.h, db, direct };
      if (batch.length === 1) return this.writes(th, batch);
      direct.prepare('begin').run([]);
      try {
        const out = await this.writes(th, batch);
        direct.prepare('commit').run([]);
        return out;
      } catch (error) {
        if (direct.inTransaction) direct.prepare('rollback').run([]);
        throw error;
      }
    });
  }

  /** The batch's writes in order on `th`, consecutive mergeable ones in one statement. */
  private async writes(th: DialectHandle, batch: readonly Pending[]): Promise<unknown[]> {
    if (batch.length === 1) return [await this.one(th, batch[0]!)];
    const out: unknown[] = [];
    for (let i = 0; i < batch.length;) {
      const all = batch[i]!.merge?.all;
      let end = i + 1;
      while (all && end < batch.length && batch[end]!.merge?.all === all) end++;
      const merged =
        all && end - i > 1
          ? await all(
              th,
              batch.slice(i, end).map((item) => item.merge!.item),
            )
          : undefined;
      if (merged) {
        this.stats.statements++;
        out.push(...merged);
      } else for (const item of batch.slice(i, end)) out.push(await this.one(th, item));
      i = end;
    }
    return out;
  }

  private one(h: DialectHandle, item: Pending): Promise<unknown> {
    this.stats.statements++;
    return item.write(h);
  }

  private async flush(): Promise<void> {
    if (this.running || this.queue.length === 0) return;
    this.running = true;
    const batch = this.queue;
    this.queue = [];
    try {
      const results = await this.transaction(batch).catch(async (error: unknown) => {
        await this.oneByOne(batch, error);
        return undefined;
      });
      if (results) {
        batch.forEach((item, i) => item.resolve(results[i]));
        tellCommitted(batch);
      }
    } finally {
      this.running = false;
      this.kick();
    }
  }

  /** The batch failed: each write alone, in order, so only the one at fault fails. */
  private async oneByOne(batch: readonly Pending[], error: unknown): Promise<void> {
    if (batch.length === 1) return batch[0]!.reject(error);
    for (const item of batch) {
      await this.transaction([item]).then(
        ([result]) => {
          item.resolve(result);
          tellCommitted([item]);
        },
        (alone: unknown) => item.reject(alone),
      );
    }
  }
}

/** Each distinct `committed` callback of a committed batch, once (a batch rarely has two). */
function tellCommitted(batch: readonly Pending[]): void {
  const told = new Set<() => void>();
  for (const { committed } of batch) {
    if (!committed || told.has(committed)) continue;
    told.add(committed);
    committed();
  }
}

/**
 * The two lanes of group commit: message inserts (one batch at a time, so ids follow the
 * submission order) and status updates (delivered, read, read positions), which need no order
 * against the inserts and so do not wait behind them (on MariaDB and PostgreSQL the two run on
 * two connections at once).
 */
export interface CommitLanes {
  inserts: GroupCommit;
  updates: GroupCommit;
}

/**
 * On SQLite both lanes are one: its single connection runs one transaction at a time anyway,
 * so two lanes only meant two commits per tick (each with its WAL write) where one does; the
 * updates of a tick now share the inserts' transaction.
 */
export function commitLanes(h: DialectHandle): CommitLanes {
  if (h.name === 'sqlite') {
    const lane = new GroupCommit(h);
    return { inserts: lane, updates: lane };
  }
  return { inserts: new GroupCommit(h), updates: new GroupCommit(h) };
}
