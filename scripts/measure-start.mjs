// Start time and memory of each process, run from TypeScript through tsx and compiled with plain
// node: `npm run build:backend && node scripts/measure-start.mjs` (needs Redis at REDIS_URL,
// default redis://127.0.0.1:6379). Start time = spawn until the "ready"/"listening" log line;
// RSS read from /proc after the process has idled for 3 s. Figures go in docs/deployment.md.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const RUNS = Number(process.env.RUNS ?? 3);
const PROCESSES = [
  {
    name: 'standalone',
    src: 'packages/im-standalone/src/main.ts',
    dist: 'packages/im-standalone/dist/main.js',
    redis: false,
  },
  {
    name: 'platform',
    src: 'packages/im-platform/src/bin/platform.ts',
    dist: 'packages/im-platform/dist/bin/platform.js',
    redis: true,
  },
  {
    name: 'push node',
    src: 'packages/im-server/src/main.ts',
    dist: 'packages/im-server/dist/main.js',
    redis: true,
  },
];
const READY = /"msg":"(?:box-im standalone ready|im-platform ready|listening)"/;

/**
 * @param {string[]} args
 * @param {Record<string, string>} env
 * @returns {Promise<{ startMs: number; rssMb: number }>}
 */
function measure(args, env) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    let startMs = 0;
    child.stdout.on('data', (chunk) => {
      out += String(chunk);
      if (startMs === 0 && READY.test(out)) {
        startMs = performance.now() - started;
        setTimeout(() => {
          const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
          const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
          child.kill('SIGTERM');
          child.once('exit', () => resolve({ startMs, rssMb: rssKb / 1024 }));
        }, 3000);
      }
    });
    child.once('exit', (code) => {
      if (startMs === 0) reject(new Error(`${args.join(' ')} exited ${code} before ready:\n${out}`));
    });
  });
}

for (const proc of PROCESSES) {
  for (const mode of ['tsx', 'node']) {
    const results = [];
    for (let i = 0; i < RUNS; i++) {
      const dataDir = mkdtempSync(join(tmpdir(), 'im-measure-'));
      const env = {
        PORT: '0',
        DATA_DIR: dataDir,
        LOG_LEVEL: 'info',
        ...(proc.redis ? { REDIS_URL, REDIS_KEY_PREFIX: `im-measure:${process.pid}:` } : {}),
      };
      const args =
        mode === 'tsx'
          ? ['--conditions=source', '--import', 'tsx', proc.src]
          : ['--enable-source-maps', proc.dist];
      results.push(await measure(args, env));
      rmSync(dataDir, { recursive: true, force: true });
    }
    const median = (/** @type {number[]} */ xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
    const startMs = median(results.map((r) => r.startMs));
    const rssMb = median(results.map((r) => r.rssMb));
    // eslint-disable-next-line no-console -- a command-line report
    console.log(
      `${proc.name.padEnd(11)} ${mode.padEnd(4)} start ${startMs.toFixed(0).padStart(5)} ms  RSS ${rssMb.toFixed(0).padStart(4)} MB`,
    );
  }
}
