/** Small helpers shared by the benchmark scenarios. */
import { spawnSync } from 'node:child_process';
import WebSocket from 'ws';

export interface Api {
  post<T = any>(path: string, body?: unknown): Promise<T>;
  get<T = any>(path: string): Promise<T>;
  put<T = any>(path: string, body?: unknown): Promise<T>;
}

export function api(base: string, token?: string): Api {
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${base}/api${path}`, {
      method,
      headers: {
        ...(token ? { accessToken: token } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const json = (await res.json()) as { code: number; message: string; data: any };
    if (json.code !== 200) throw new Error(`${method} ${path}: ${json.code} ${json.message}`);
    return json.data;
  };
  return {
    post: (p, b) => call('POST', p, b),
    get: (p) => call('GET', p),
    put: (p, b) => call('PUT', p, b),
  };
}

export interface BenchUser {
  id: number;
  token: string;
  api: Api;
}

let seq = 0;
export async function newUser(base: string, prefix: string): Promise<BenchUser> {
  const userName = `${prefix}${Date.now().toString(36)}${++seq}`.slice(0, 20);
  const anon = api(base);
  await anon.post('/register', { userName, password: 'bench123' });
  const login = await anon.post('/login', { terminal: 0, userName, password: 'bench123' });
  const a = api(base, login.accessToken);
  const self = await a.get('/user/self');
  return { id: self.id, token: login.accessToken, api: a };
}

/** A logged-in socket; `onFrame` sees every frame. */
export async function connect(
  base: string,
  token: string,
  onFrame: (f: { cmd: number; data: any }) => void,
): Promise<WebSocket> {
  const ws = new WebSocket(`${base.replace('http', 'ws')}/im`);
  await new Promise<void>((ok, fail) => {
    ws.once('open', () => ok());
    ws.once('error', fail);
  });
  const acked = new Promise<void>((ok) => {
    ws.on('message', (raw: Buffer) => {
      const f = JSON.parse(raw.toString()) as { cmd: number; data: any };
      if (f.cmd === 0) ok();
      onFrame(f);
    });
  });
  ws.send(JSON.stringify({ cmd: 0, data: { accessToken: token, devId: Math.random() } }));
  await acked;
  return ws;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export function stats(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  return {
    n: s.length,
    p50: percentile(s, 50),
    p95: percentile(s, 95),
    p99: percentile(s, 99),
    max: s.at(-1) ?? NaN,
  };
}

export const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

/**
 * V8 settings of the bench's own load process (the client that sends and receives): short
 * scavenges, so its GC pauses stay a few ms and do not become the measured tail. Override with
 * BENCH_CLIENT_FLAGS (space-separated; empty for Node's defaults).
 */
export const CLIENT_FLAGS = (process.env['BENCH_CLIENT_FLAGS'] ?? '--max-semi-space-size=2')
  .split(' ')
  .filter(Boolean);

/**
 * Runs this script again in a child process with CLIENT_FLAGS when this process lacks them
 * (they size the heap, so they must be given at start), and exits with the child's status.
 * Returns when this process already has them.
 */
export function ensureClientFlags(): void {
  const missing = CLIENT_FLAGS.filter((f) => !process.execArgv.includes(f));
  if (missing.length === 0 || process.env['BENCH_CLIENT_FLAGS_SET']) return;
  const run = spawnSync(process.execPath, [...process.execArgv, ...missing, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, BENCH_CLIENT_FLAGS_SET: '1' },
  });
  process.exit(run.status ?? 1);
}
