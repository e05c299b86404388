/**
 * The process entries as a user runs them: `npm start` (bin/standalone.ts) on a fresh data
 * folder, and the API at box-im's root paths when API_PREFIX is empty.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startTestServer, TestSocket } from '../../testing';

const ROOT = resolve(import.meta.dirname, '../../../..');

function freePort(): Promise<number> {
  return new Promise((ok) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => ok(port));
    });
  });
}

describe('run modes', () => {
  it('npm start runs everything in one process on a fresh data folder and stops on SIGTERM', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'im-start-'));
    const port = await freePort();
    const child = spawn(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', 'packages/im-standalone/src/main.ts'],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          PORT: String(port),
          HOST: '127.0.0.1',
          DATA_DIR: dataDir,
          LOG_PRETTY: 'false',
          DATABASE_URL: '',
          REDIS_URL: '',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const output: string[] = [];
    child.stdout.on('data', (d: Buffer) => output.push(d.toString()));
    child.stderr.on('data', (d: Buffer) => output.push(d.toString()));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    try {
      const base = `http://127.0.0.1:${port}`;
      const deadline = Date.now() + 30_000;
      for (;;) {
        try {
          if ((await fetch(`${base}/api/doc`)).ok) break;
        } catch {
          // not yet listening
        }
        if (Date.now() > deadline) throw new Error(`not ready: ${output.join('')}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
        fetch(`${base}/api${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify(body),
        }).then((r) => r.json() as Promise<{ code: number; data: any }>);
      expect((await post('/register', { userName: 'first', password: 'secret1' })).code).toBe(200);
      const login = await post('/login', { terminal: 0, userName: 'first', password: 'secret1' });
      expect(login.code).toBe(200);
      const ws = await TestSocket.login(base, login.data.accessToken);
      expect(existsSync(join(dataDir, 'im.db'))).toBe(true);
      ws.close();
      child.kill('SIGTERM');
      expect(await exited, output.join('')).toBe(0);
      expect(output.join('')).toContain('box-im standalone ready');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);

  it('serves box-im root paths when API_PREFIX is empty', async () => {
    const t = await startTestServer({ env: { API_PREFIX: '' } });
    try {
      const res = await fetch(`${t.url}/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userName: 'rootpaths', password: 'secret1' }),
      });
      expect(await res.json()).toEqual({ code: 200, message: '成功', data: null });
      const missing = (await (await fetch(`${t.url}/nothing/here`)).json()) as { code: number };
      expect(missing.code).toBe(500);
    } finally {
      await t.close();
    }
  });
});
