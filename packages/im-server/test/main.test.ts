import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CloseCode } from '@box-im/im-common';
import { PUSH_NODE_FLAGS } from '../src/node-flags';
import { SECRET, TestClient } from './support';

const url = process.env['IM_TEST_REDIS_URL'];
const mainPath = fileURLToPath(new URL('../src/main.ts', import.meta.url));
/** The entry from its sources, workspace packages through their `source` condition (no build needed). */
/** With the Node flags production starts a push node with. */
const fromSource = [...PUSH_NODE_FLAGS, '--conditions=source', '--import', 'tsx', mainPath];

/** The `npm run start:server` process: it needs Redis, so it runs only with IM_TEST_REDIS_URL. */
describe.skipIf(!url)('im-server main.ts', () => {
  it('serves /health and WebSocket logins, and closes sockets with 1012 on SIGTERM', async () => {
    const child = spawn(process.execPath, fromSource, {
      env: {
        ...process.env,
        REDIS_URL: url,
        REDIS_KEY_PREFIX: `t${process.pid}:`,
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_PRETTY: 'false',
        JWT_ACCESS_SECRET: SECRET,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const lines = createInterface({ input: child.stdout });
    const port = await new Promise<number>((resolve, reject) => {
      lines.on('line', (line) => {
        const entry = JSON.parse(line) as { msg?: string; port?: number };
        if (entry.msg === 'listening' && entry.port) resolve(entry.port);
      });
      void exited.then((code) => reject(new Error(`exited early with ${code}`)));
    });

    const health = await fetch(`http://127.0.0.1:${port}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', connections: 0 });

    const client = await TestClient.connect(`ws://127.0.0.1:${port}/im`, 1, 0);
    child.kill('SIGTERM');
    expect((await client.waitForClose(5000)).code).toBe(CloseCode.SERVER_RESTART);
    expect(await exited).toBe(0);
  });

  it('exits with 1 and a clear message when REDIS_URL is missing', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0' };
    delete env['REDIS_URL'];
    const child = spawn(process.execPath, fromSource, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toContain('REDIS_URL is required');
  });
});
