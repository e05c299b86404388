/**
 * Readiness checks shared by the processes: each dependency (database, Redis, storage) gets a
 * probe; `/health/ready` answers 200 when every probe resolves within the timeout and 503
 * naming the ones that did not. `/health/live` only says the event loop answers.
 */
export type HealthProbe = () => Promise<unknown>;

export interface HealthReport {
  status: 'ok' | 'unavailable';
  /** `ok`, or what went wrong, per dependency. */
  checks: Record<string, string>;
}

/** Run every probe at once; a probe that takes longer than `timeoutMs` counts as failed. */
export async function checkHealth(
  probes: Record<string, HealthProbe>,
  timeoutMs = 2000,
): Promise<HealthReport> {
  const names = Object.keys(probes);
  const results = await Promise.all(
    names.map(async (name) => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        await Promise.race([probes[name]!(), timeout]);
        return [name, 'ok'] as const;
      } catch (error) {
        return [name, error instanceof Error ? error.message : String(error)] as const;
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  const checks = Object.fromEntries(results);
  return { status: results.every(([, r]) => r === 'ok') ? 'ok' : 'unavailable', checks };
}
