/**
 * Helpers the test suites of every package share (test-only: never imported by `src`).
 */

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
