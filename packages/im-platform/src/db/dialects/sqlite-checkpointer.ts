import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Database } from 'better-sqlite3';

/** How often the worker copies the WAL back into the database file. */
const DEFAULT_INTERVAL_MS = 200;

/**
 * The worker: its own connection to the same file, a PASSIVE checkpoint on a timer (never
 * blocks the writer; frames of a transaction still being written stay in the WAL), closed on
 * `stop`. CommonJS source evaluated in the thread.
 */
const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const SQLite = require(workerData.module);
const db = new SQLite(workerData.file);
db.pragma('busy_timeout = 5000');
let checkpoints = 0;
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
    checkpoints++;
  } catch (error) {
    parentPort.postMessage({ kind: 'error', message: String(error) });
  }
}, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message === 'count') parentPort.postMessage({ kind: 'count', checkpoints });
  if (message !== 'stop') return;
  clearInterval(timer);
  db.close();
  parentPort.close();
});
parentPort.postMessage({ kind: 'ready' });
`;

/**
 * WAL checkpoints of a SQLite file database in a worker thread instead of on the event loop.
 * better-sqlite3 is synchronous: with SQLite's automatic checkpoint, every ~1,000 WAL pages a
 * commit also copied the pages into the database file and synced it (fsync), blocking the
 * process's only thread for milliseconds, which showed as latency spikes under load. Here the
 * writer's connection has `wal_autocheckpoint = 0` and the worker checkpoints every
 * `intervalMs` through its own connection, on the machine's other core. Same durability:
 * commits are in the WAL as before; a checkpoint syncs the database file as before. Should the
 * worker fail, the writer's connection checkpoints automatically again.
 */
export class SqliteCheckpointer {
  private readonly worker: Worker;
  private stopped = false;
  /** Settles once the worker thread has ended. */
  readonly exited: Promise<void>;

  constructor(
    private readonly database: Database,
    file: string,
    intervalMs = DEFAULT_INTERVAL_MS,
  ) {
    const module = createRequire(import.meta.url).resolve('better-sqlite3');
    database.pragma('wal_autocheckpoint = 0');
    this.worker = new Worker(SOURCE, { eval: true, workerData: { module, file, intervalMs } });
    this.worker.unref();
    this.exited = new Promise((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.on('error', () => this.fallBack());
    this.worker.on('exit', () => this.fallBack());
    this.worker.on('message', (message: { kind: string }) => {
      if (message.kind === 'error') this.fallBack();
    });
  }

  /** Stop the worker as if it had failed (for tests). */
  crashForTest(): Promise<number> {
    return this.worker.terminate();
  }

  /** Checkpoints run so far (for tests). */
  count(): Promise<number> {
    return new Promise((resolve) => {
      const onMessage = (message: { kind: string; checkpoints?: number }) => {
        if (message.kind !== 'count') return;
        this.worker.off('message', onMessage);
        resolve(message.checkpoints ?? 0);
      };
      this.worker.on('message', onMessage);
      this.worker.postMessage('count');
    });
  }

  /** Stop the worker (before the writer's connection closes, which checkpoints once more). */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.worker.postMessage('stop');
  }

  /** The worker failed or is gone: the writer's connection checkpoints automatically again. */
  private fallBack(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.database.open) this.database.pragma('wal_autocheckpoint = 1000');
    void this.worker.terminate();
  }
}
