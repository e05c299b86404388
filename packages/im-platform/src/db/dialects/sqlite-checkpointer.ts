import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type SQLite from 'better-sqlite3';
import type { Logger } from 'pino';

/** Milliseconds between checkpoints of the WAL by the checkpointer thread. */
const PERIOD_MS = 1000;
/** Most PASSIVE passes per checkpoint: one more than needed is one that finds nothing new. */
const MAX_PASSES = 8;
/** Milliseconds to the next checkpoint when the last one did not catch up with the writes. */
const RETRY_MS = 100;
/** SQLite's default: the connection checkpoints itself after a commit leaves the WAL this long. */
const AUTOCHECKPOINT_PAGES = 1000;
/**
 * The backstop while the thread runs: should its passes ever fall behind the writes, the
 * connection checkpoints itself (and the WAL restarts) once a commit leaves it this long
 * (~40 MB of 4 KiB pages), instead of the WAL growing without bound.
 */
const BACKSTOP_PAGES = 10_000;

/**
 * The checkpointer thread: its own connection to the file, a PASSIVE checkpoint every period
 * (copies committed WAL frames into the database file without blocking the writer or
 * readers). Plain JavaScript evaluated in the thread, so it runs the same from source and
 * from the compiled build; better-sqlite3 is loaded from the path the main thread resolved.
 */
const THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const SQLite = require(workerData.driver);
const db = new SQLite(workerData.file);
db.pragma('busy_timeout = 5000');
// One PASSIVE pass copies the frames committed before it started; under steady writes more
// arrive meanwhile, so the WAL is never all checkpointed when the next write begins and never
// restarts (the bench's open loop grew it by ~6 MB/s, every commit extending the file). Passes
// repeat while they find new frames (each copies only what the last one left), up to maxPasses;
// once one finds none, the next write restarts the WAL from its start. If every pass found new
// frames (commits outpace the passes' syncs), the next checkpoint comes after RETRY_MS.
let timer;
const checkpoint = () => {
  let log = -1;
  for (let pass = 0; pass < workerData.maxPasses; pass++) {
    const next = db.pragma('wal_checkpoint(PASSIVE)')[0].log;
    if (next === log) return schedule(workerData.periodMs);
    log = next;
  }
  schedule(workerData.retryMs);
};
const schedule = (ms) => { timer = setTimeout(checkpoint, ms); };
schedule(workerData.periodMs);
parentPort.on('message', () => { clearTimeout(timer); db.close(); parentPort.close(); });
`;

/**
 * WAL checkpoints off the connection's thread: SQLite's automatic checkpoint runs inside the
 * commit that crosses 1,000 WAL pages, on the thread that committed (for the in-thread
 * connection, the event loop: a stall of the requests of that moment and CPU taken from them).
 * Here a worker thread checkpoints every second instead, and the connection's automatic
 * checkpoint only backs it up at 10,000 pages. Durability is unchanged (the WAL holds every commit until checkpointed;
 * checkpoints only move pages into the database file). If the thread fails, the connection
 * checkpoints itself again (and `log` says so). Returns the function that stops the thread.
 */
export function checkpointInThread(database: SQLite.Database, file: string, log: Logger): () => void {
  database.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(THREAD, {
    eval: true,
    workerData: {
      driver,
      file,
      periodMs: PERIOD_MS,
      maxPasses: MAX_PASSES,
      retryMs: RETRY_MS,
    },
  });
  worker.unref();
  let stopped = false;
  worker.on('error', (error) => {
    if (stopped) return;
    stopped = true;
    if (database.open) database.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
    log.error(
      { err: error, file, autocheckpointPages: AUTOCHECKPOINT_PAGES },
      'SQLite checkpointer thread failed; the connection checkpoints its WAL itself',
    );
  });
  return () => {
    if (stopped) return;
    stopped = true;
    worker.postMessage('stop');
  };
}
