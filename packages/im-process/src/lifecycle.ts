import { ConfigError } from './config';

/** Something a process started and must close before it exits. */
export interface Closable {
  close(): Promise<void>;
}

export interface RunOptions {
  /** A shutdown that takes longer than this ends the process anyway (exit 1). @default 10 000 */
  shutdownTimeoutMs?: number;
}

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

/**
 * The life of a process entry: start the service, keep it until SIGINT or SIGTERM, then
 * close it gracefully and exit 0 (1 if closing failed or took too long). A start that fails
 * exits 1 with the reason; an invalid configuration names the variables.
 */
export async function runUntilSignal(
  start: () => Promise<Closable>,
  options: RunOptions = {},
): Promise<void> {
  let service: Closable;
  try {
    service = await start();
  } catch (error) {
    if (error instanceof ConfigError) fail(`Invalid configuration:\n${error.message}`);
    fail(`failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }
  const timeoutMs = options.shutdownTimeoutMs ?? 10_000;
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    setTimeout(
      () => fail(`shutdown after ${signal} did not finish within ${timeoutMs} ms`),
      timeoutMs,
    ).unref();
    service.close().then(
      () => process.exit(0),
      (error: unknown) => fail(`shutdown after ${signal} failed: ${String(error)}`),
    );
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => stop(signal));
}

/**
 * Run shutdown steps in order. Every step runs even if an earlier one fails, so no
 * connection is left open; the failures are thrown together at the end.
 */
export async function closeInOrder(what: string, steps: readonly (() => Promise<void>)[]): Promise<void> {
  const failures: unknown[] = [];
  for (const step of steps) await step().catch((error: unknown) => failures.push(error));
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) throw new AggregateError(failures, `${what}: shutdown had failures`);
}
