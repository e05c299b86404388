import type { DialectHandle } from './dialects/dialect';

/** One write of a batch: runs inside the batch's transaction, on the handle it is given. */
export type BatchedWrite<T> = (h: DialectHandle) => Promise<T>;

interface Pending {
  write: BatchedWrite<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** Why a write queued for a batch failed: its batch did (the cause is the batch's error). */
export class BatchCommitError extends Error {
  constructor(
    readonly size: number,
    cause: unknown,
  ) {
    super(`the database transaction of a batch of ${size} writes failed: ${String(cause)}`, { cause });
    this.name = 'BatchCommitError';
  }
}

/**
 * Group commit: the message writes submitted while the event loop runs one tick are executed
 * in one database transaction, in the order they were submitted, and each submitter's promise
 * settles only once that transaction has committed (so a request is answered only for what is
 * stored). One batch runs at a time; writes submitted meanwhile form the next batch. Ids are
 * therefore assigned in submission order across batches, which the writers' ordering relies on.
 *
 * A write must use only the handle it is given (the batch's transaction): on SQLite a query on
 * the process's own handle waits for the transaction's connection, so it would never run.
 * Expected failures (a retried tmpId) are answered by the write itself without an error; any
 * error a write throws rolls the whole batch back and fails every write of that batch (and no
 * other) with a `BatchCommitError`.
 */
export class GroupCommit {
  private queue: Pending[] = [];
  private running = false;
  private scheduled = false;
  /** Batches committed and writes in them (for the bench and metrics). */
  readonly stats = { batches: 0, writes: 0 };

  constructor(
    private readonly h: DialectHandle,
    private readonly schedule: (run: () => void) => void = (run) => setImmediate(run),
  ) {}

  submit<T>(write: BatchedWrite<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ write, resolve: resolve as (value: unknown) => void, reject });
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

  private async flush(): Promise<void> {
    if (this.running || this.queue.length === 0) return;
    this.running = true;
    const batch = this.queue;
    this.queue = [];
    try {
      const results = await this.h.db.transaction().execute(async (trx) => {
        const th: DialectHandle = { ...this.h, db: trx };
        const out: unknown[] = [];
        for (const item of batch) out.push(await item.write(th));
        return out;
      });
      this.stats.batches++;
      this.stats.writes += batch.length;
      batch.forEach((item, i) => item.resolve(results[i]));
    } catch (error) {
      const failure = new BatchCommitError(batch.length, error);
      for (const item of batch) item.reject(failure);
    } finally {
      this.running = false;
      this.kick();
    }
  }
}
