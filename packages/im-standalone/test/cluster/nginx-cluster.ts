/**
 * A deployed cluster on loopback, as `deploy/` describes it: the compiled entries run with
 * plain `node --enable-source-maps` (2 platforms, 2 push nodes), a Redis server of its own
 * (so it can be restarted), the database behind a TCP relay (so it can be cut), and Debian's
 * nginx running `deploy/nginx/box-im.conf` with the upstreams, ports and paths rewritten for
 * loopback and TLS left out (plain HTTP on a free port).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { join, resolve } from 'node:path';
import { LIFTED_ADDRESS_LIMITS } from '@box-im/im-platform/testing';

export const ROOT = resolve(import.meta.dirname, '../../../..');
export const NGINX = process.env['IM_TEST_NGINX'] ?? '/usr/sbin/nginx';
export const REDIS_SERVER = '/usr/bin/redis-server';

export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => ok(port));
    });
  });
}

/** `npm run build:backend` when the compiled output is missing or stale (a no-op in CI, which builds first). */
export function ensureBuilt(): void {
  execFileSync(process.execPath, ['scripts/ensure-build.mjs', '--backend'], { cwd: ROOT, stdio: 'inherit' });
}

export interface Proc {
  name: string;
  port: number;
  url: string;
  child: ChildProcess;
  output: string[];
  /** Whether it is still running. */
  readonly alive: boolean;
}

function track(name: string, port: number, child: ChildProcess): Proc {
  const output: string[] = [];
  child.stdout?.on('data', (d: Buffer) => output.push(d.toString()));
  child.stderr?.on('data', (d: Buffer) => output.push(d.toString()));
  return {
    name,
    port,
    url: `http://127.0.0.1:${port}`,
    child,
    output,
    get alive() {
      return child.exitCode === null && child.signalCode === null;
    },
  };
}

/** A compiled entry (`packages/…/dist/…js`) as systemd and the Dockerfile run it. */
export function startEntry(name: string, entry: string, port: number, env: Record<string, string>): Proc {
  const child = spawn(process.execPath, ['--enable-source-maps', join(ROOT, entry)], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      LOG_PRETTY: 'false',
      HOST: '127.0.0.1',
      PORT: String(port),
      // 200 users register and connect through one nginx on loopback: one client address.
      ...LIFTED_ADDRESS_LIMITS,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return track(name, port, child);
}

export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what}: not within ${timeoutMs} ms`);
}

/** Until `GET {proc}/health/ready` answers 200. */
export async function waitReady(proc: Proc, timeoutMs = 60_000): Promise<void> {
  await waitFor(
    `${proc.name} ready`,
    async () => {
      if (!proc.alive) throw new Error(`${proc.name} exited:\n${proc.output.join('')}`);
      return (await fetch(`${proc.url}/health/ready`)).status === 200;
    },
    timeoutMs,
  ).catch((error: unknown) => {
    throw new Error(`${String(error)}\n${proc.output.join('').slice(-3000)}`);
  });
}

/** SIGKILL (kill -9) and wait for the exit. */
export async function kill9(proc: Proc): Promise<void> {
  if (!proc.alive) return;
  const exited = new Promise((r) => proc.child.once('exit', r));
  proc.child.kill('SIGKILL');
  await exited;
}

/** SIGTERM and wait; the exit code (null when killed by a signal). */
export async function stop(proc: Proc): Promise<number | null> {
  if (!proc.alive) return proc.child.exitCode;
  const exited = new Promise<number | null>((r) => proc.child.once('exit', (code) => r(code)));
  proc.child.kill('SIGTERM');
  return exited;
}

/** A Redis server of the test's own on `port`, without persistence (a restart loses everything). */
export async function startRedis(port: number): Promise<Proc> {
  const child = spawn(
    REDIS_SERVER,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const proc = track('redis', port, child);
  await waitFor('redis', () => canConnect(port), 10_000);
  return proc;
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((ok) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      ok(true);
    });
    socket.once('error', () => ok(false));
  });
}

/** `deploy/nginx/box-im.conf` for loopback: these upstreams, plain HTTP on `port`, roots under the checkout. */
export function renderNginxConfig(port: number, platforms: number[], pushes: number[]): string {
  const sample = readFileSync(join(ROOT, 'deploy/nginx/box-im.conf'), 'utf8');
  const servers = (ports: number[]) =>
    ports.map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=5s;`).join('\n');
  const upstream = (name: string, ports: number[]) => (text: string) =>
    text.replace(
      new RegExp(`(upstream ${name} \\{\\n(?:    [^\\n]*\\n)*?)((?:    server [^\\n]*\\n)+)`),
      (_m, head: string) => `${head}${servers(ports)}\n`,
    );
  let conf = upstream('box_im_platform', platforms)(upstream('box_im_push', pushes)(sample));
  conf = conf
    .replace(/server \{\n {4}listen 80;[\s\S]*?\n\}\n/, '') // the redirect to https
    .replace('listen 443 ssl;', `listen 127.0.0.1:${port};`)
    .replace(/^\s*ssl_[^\n]*\n/gm, '')
    .replaceAll('/srv/box-im/', `${ROOT}/`);
  if (!conf.includes(`127.0.0.1:${platforms[0]}`) || !conf.includes(`127.0.0.1:${pushes[0]}`))
    throw new Error('deploy/nginx/box-im.conf no longer has the upstream blocks this test rewrites');
  return conf;
}

/** Debian's nginx as a child with its own prefix (never the system instance). */
export async function startNginx(
  dir: string,
  port: number,
  platforms: number[],
  pushes: number[],
): Promise<Proc> {
  mkdirSync(join(dir, 'logs'), { recursive: true });
  writeFileSync(join(dir, 'box-im.conf'), renderNginxConfig(port, platforms, pushes));
  const mime = existsSync('/etc/nginx/mime.types') ? 'include /etc/nginx/mime.types;' : '';
  writeFileSync(
    join(dir, 'nginx.conf'),
    `pid ${dir}/nginx.pid;
error_log ${dir}/logs/error.log warn;
events { worker_connections 4096; }
http {
  ${mime}
  access_log off;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  include ${dir}/box-im.conf;
}
`,
  );
  const child = spawn(
    NGINX,
    ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off; worker_processes 1;'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const proc = track('nginx', port, child);
  await waitFor('nginx', () => canConnect(port), 10_000).catch((error: unknown) => {
    throw new Error(`${String(error)}\n${proc.output.join('')}`);
  });
  return proc;
}

/** A TCP relay to `target`; `cut()` drops every connection and refuses new ones until `restore()`. */
export interface Relay {
  port: number;
  cut(): void;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function tcpRelay(targetHost: string, targetPort: number): Promise<Relay> {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  const port = await freePort();
  const listen = () =>
    new Promise<void>((ok) => {
      server = createServer((inbound) => {
        const outbound = connect(targetPort, targetHost);
        for (const s of [inbound, outbound]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => s.destroy());
        }
        inbound.pipe(outbound).pipe(inbound);
        inbound.on('close', () => outbound.destroy());
        outbound.on('close', () => inbound.destroy());
      });
      server.listen(port, '127.0.0.1', () => ok());
    });
  const cut = () => {
    server?.close();
    server = undefined;
    for (const s of sockets) s.destroy();
  };
  await listen();
  return {
    port,
    cut,
    restore: () => (server ? Promise.resolve() : listen()),
    close: () => Promise.resolve(cut()),
  };
}
