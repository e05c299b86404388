/**
 * Reconnect delays: exponential with "full jitter" (a uniformly random wait between 0 and the
 * capped exponential), so thousands of clients dropped by one restart do not come back in step.
 */
export interface BackoffOptions {
  /** Ceiling of the first wait in ms. @default 1000 */
  base?: number;
  /** Largest ceiling in ms. @default 30000 */
  max?: number;
}

/** Ceiling of the wait before attempt `attempt` (0-based): `min(max, base·2^attempt)`. */
export function backoffCeiling(attempt: number, opts: BackoffOptions = {}): number {
  const base = opts.base ?? 1000;
  const max = opts.max ?? 30_000;
  return Math.min(max, base * 2 ** Math.min(Math.max(attempt, 0), 30));
}

/** The wait before attempt `attempt`, for `random` in [0, 1): in [0, ceiling). */
export function backoffDelay(attempt: number, random: number, opts: BackoffOptions = {}): number {
  return Math.floor(backoffCeiling(attempt, opts) * Math.min(Math.max(random, 0), 1));
}
