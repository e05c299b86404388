/**
 * Helpers the test suites of every package share (test-only: never imported by `src`).
 */
import { pino, type Logger } from 'pino';

/**
 * Resolves once `condition` holds, checking every `intervalMs`; rejects after `timeoutMs`.
 * For states that change asynchronously (a delivery marked, a route written).
 */
export async function until(
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 5000,
  intervalMs = 5,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** One parsed log entry. */
export interface LogEntry {
  level: number;
  msg: string;
  [field: string]: unknown;
}

/** A logger whose entries (parsed JSON lines) land in `entries`, for tests that check what is logged. */
export function captureLogs(level = 'debug'): { logger: Logger; entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const logger = pino(
    { level },
    { write: (line: string) => void entries.push(JSON.parse(line) as LogEntry) },
  );
  return { logger, entries };
}

export * from './redis-servers';
