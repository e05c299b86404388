/** Keep a started service until SIGINT/SIGTERM, then close it gracefully (10 s at most). */
export async function runUntilSignal(start: () => Promise<{ close(): Promise<void> }>): Promise<void> {
  const service = await start();
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    const force = setTimeout(() => {
      process.stderr.write(`shutdown after ${signal} did not finish within 10 s; exiting\n`);
      process.exit(1);
    }, 10_000);
    force.unref();
    service.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`shutdown after ${signal} failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}
