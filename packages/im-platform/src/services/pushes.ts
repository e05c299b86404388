import type { Logger } from 'pino';

/** A copy without null or undefined fields: box-im's pushes go through fastjson, which drops them. */
export function withoutNulls<T extends object>(value: T): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    const v = value[key];
    if (v !== null && v !== undefined) out[key] = v;
  }
  return out as Partial<T>;
}

/**
 * Queue a push; a failure is logged, never thrown. What a push announces is stored first
 * (or is a transient signal), and clients recover stored things through the offline pull.
 */
export async function pushBestEffort(
  log: Logger,
  what: string,
  push: () => Promise<void>,
  context: object = {},
): Promise<void> {
  try {
    await push();
  } catch (err) {
    log.warn({ err, what, ...context }, 'push failed; clients recover stored messages by pulling');
  }
}
