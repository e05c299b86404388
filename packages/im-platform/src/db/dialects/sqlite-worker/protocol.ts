/**
 * Messages between the SQLite worker and the main thread. Requests and replies travel in
 * arrays: what one thread has to send while it runs one task goes in one postMessage.
 */

/** The worker's `workerData`. */
export interface WorkerInit {
  file: string;
}

export type Request =
  | {
      op: 'query';
      id: number;
      sql: string;
      params: readonly unknown[];
      /** Run BEGIN first: a transaction's BEGIN travels with its first statement. */
      begin: boolean;
      /** Part of a transaction; a statement outside one never runs inside an open transaction. */
      tx: boolean;
    }
  /** `cpu`: the worker thread's CPU time so far, in µs, as a row `{ micros }`. */
  | { op: 'commit' | 'rollback' | 'close' | 'cpu'; id: number };

export interface SerializedError {
  name: string;
  message: string;
  code?: string;
}

export type Reply =
  | {
      id: number;
      rows: Record<string, unknown>[];
      /** Some value is a Buffer (it arrives as a plain Uint8Array). */
      blobs: boolean;
      changes?: number;
      lastInsertRowid?: number | bigint;
    }
  | { id: number; error: SerializedError };

/** Sent by the worker once: the database is open (or could not be opened). */
export type Hello = { ready: true } | { ready: false; error: SerializedError };
