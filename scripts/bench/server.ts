/**
 * The server under benchmark, in its own process (forked by run.ts): a standalone server on
 * port 0 with a fresh data folder. Answers IPC requests for its memory figures.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStandalone } from '@box-im/im-standalone';

const running = await startStandalone({
  port: 0,
  dataDir: mkdtempSync(join(tmpdir(), 'im-bench-')),
  env: {
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    LOG_PRETTY: 'false',
    // Load from one address, far above any client's rate: the limits would measure themselves.
    RATE_LIMIT: 'off',
    ...(process.env['BENCH_DATABASE_URL'] ? { DATABASE_URL: process.env['BENCH_DATABASE_URL'] } : {}),
  },
});
process.send?.({ kind: 'ready', url: running.url });
process.on('message', (msg: { kind: string }) => {
  if (msg.kind === 'memory') {
    global.gc?.();
    const m = process.memoryUsage();
    process.send?.({
      kind: 'memory',
      rss: m.rss,
      heapUsed: m.heapUsed,
      connections: running.push.connectionCount,
    });
  }
  if (msg.kind === 'cpu') {
    const c = process.cpuUsage();
    const { batches, writes } = running.ctx.repos.commits?.stats ?? { batches: 0, writes: 0 };
    process.send?.({ kind: 'cpu', micros: c.user + c.system, batches, writes });
  }
  if (msg.kind === 'stop') void running.close().then(() => process.exit(0));
});
