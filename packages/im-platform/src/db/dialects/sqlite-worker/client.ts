import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import SQLite from 'better-sqlite3';
import type { Hello, Reply, Request, SerializedError, WorkerInit } from './protocol';

type Sent = Request extends infer R ? (R extends Request ? Omit<R, 'id'> : never) : never;
export type Result = Extract<Reply, { rows: unknown }>;

interface Pending {
  resolve: (reply: Result) => void;
  reject: (error: Error) => void;
}

/**
 * The worker's entry: compiled `worker.js` beside this file under plain node; in source mode
 * (vitest, tsx: this file is `client.ts`) a bootstrap that registers tsx's loader in the
 * worker thread (loaders of the parent are not inherited) and then loads `worker.ts`.
 */
function workerEntry(): URL {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new URL('./worker.js', here);
  const api = createRequire(here)
    .resolve('tsx/esm/api')
    .replace(/\.cjs$/, '.mjs');
  const code = `import { register } from ${JSON.stringify(pathToFileURL(api).href)};
register();
await import(${JSON.stringify(new URL('./worker.ts', here).href)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(code)}`);
}

/**
 * The worker inherits the process's node options (Node's default), except when the process
 * was started with `--input-type` (`node --input-type=module -e …`), which would make the worker
 * fail to start: then those options less it, or none if Node refuses them for a worker (such as
 * `--expose-gc`, which a worker may only inherit).
 */
function startWorker(entry: URL, workerData: WorkerInit): Worker {
  const argv = process.execArgv;
  if (!argv.some((a) => a.startsWith('--input-type'))) return new Worker(entry, { workerData });
  const execArgv = argv.filter((a, i) => !a.startsWith('--input-type') && argv[i - 1] !== '--input-type');
  try {
    return new Worker(entry, { workerData, execArgv });
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ERR_WORKER_INVALID_EXEC_ARGV') throw error;
    return new Worker(entry, { workerData, execArgv: [] });
  }
}

/** An error of the worker as the in-thread driver would have thrown it (same class and code). */
export function revive(e: SerializedError): Error {
  if (e.name === 'SqliteError' && e.code !== undefined) return new SQLite.SqliteError(e.message, e.code);
  const error = new Error(e.message);
  error.name = e.name;
  if (e.code !== undefined) Object.assign(error, { code: e.code });
  return error;
}

/**
 * The main thread's side of the SQLite worker: requests sent while this thread runs one task
 * go to the worker in one message, each settles with its reply. If the worker dies, every
 * request waiting and every later one fails with the reason, and `onDeath` is told (the
 * process should stop: writes it acknowledged are stored, those in flight are not).
 */
export class SqliteWorkerClient {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private outbox: Request[] = [];
  private nextId = 1;
  private dead: Error | undefined;
  private closing = false;
  readonly ready: Promise<void>;

  constructor(file: string, onDeath: (error: Error) => void) {
    this.worker = startWorker(workerEntry(), { file });
    this.ready = new Promise<void>((resolve, reject) => {
      let opened = false;
      let told = false;
      // Before ready, a failure is the opener's (init rejects); afterwards it is fatal, once.
      const fatal = (error: Error) => {
        this.die(error);
        if (!opened) return reject(error);
        if (told) return;
        told = true;
        onDeath(error);
      };
      this.worker.once('message', (hello: Hello) => {
        if (!hello.ready) return fatal(revive(hello.error));
        opened = true;
        this.worker.on('message', (replies: Reply[]) => this.settle(replies));
        resolve();
      });
      this.worker.on('error', (error) =>
        fatal(new Error(`SQLite worker failed: ${error.message}`, { cause: error })),
      );
      this.worker.on('exit', (code) => {
        if (!this.closing) fatal(new Error(`SQLite worker exited unexpectedly (code ${code})`));
      });
    });
    this.ready.catch(() => undefined);
  }

  send(request: Sent): Promise<Result> {
    if (this.dead) return Promise.reject(this.dead);
    return new Promise<Result>((resolve, reject) => {
      const id = this.nextId++;
      this.pending.set(id, { resolve, reject });
      if (this.outbox.length === 0) queueMicrotask(() => this.flush());
      this.outbox.push({ ...request, id });
    });
  }

  /** The worker thread's CPU time so far, in µs (for the bench). */
  async cpuMicros(): Promise<number> {
    const reply = await this.send({ op: 'cpu' });
    return reply.rows[0]!['micros'] as number;
  }

  async close(): Promise<void> {
    if (this.dead) return;
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    const closed = this.send({ op: 'close' });
    this.closing = true;
    await closed;
    await exited;
    this.dead = new Error('SQLite worker closed');
  }

  private flush(): void {
    const batch = this.outbox;
    this.outbox = [];
    if (batch.length > 0 && !this.dead) this.worker.postMessage(batch);
  }

  private settle(replies: Reply[]): void {
    for (const reply of replies) {
      const p = this.pending.get(reply.id);
      if (!p) continue;
      this.pending.delete(reply.id);
      if ('error' in reply) p.reject(revive(reply.error));
      else p.resolve(reply);
    }
  }

  private die(error: Error): void {
    if (this.dead) return;
    this.dead = error;
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
    this.outbox = [];
  }
}
