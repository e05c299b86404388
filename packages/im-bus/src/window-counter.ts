import type { Bus } from './bus';

/** A count within the current fixed window, and the milliseconds until that window ends. */
export interface WindowCount {
  count: number;
  resetMs: number;
}

/**
 * Add `by` to the counter of `key` in the fixed window of `windowMs` that holds `nowMs`, and
 * return the window's total. The window's index is part of the key, so each window starts
 * at zero and every process sharing the bus (Redis) sees the same count; the key expires a
 * little after its window ends. Rate limits of the platform and the push node count here.
 */
export async function countInWindow(
  bus: Bus,
  key: string,
  windowMs: number,
  nowMs: number,
  by = 1,
): Promise<WindowCount> {
  const index = Math.floor(nowMs / windowMs);
  const windowKey = `${key}:${index}`;
  const count = await bus.incr(windowKey, by);
  // The first increment created the key (INCR makes keys without a time to live).
  if (count === by) await bus.expire(windowKey, windowMs + 1000);
  return { count, resetMs: (index + 1) * windowMs - nowMs };
}
