/**
 * Child processes of the fan-out scenario (forked by fanout.ts; argv[2] names the role).
 * Every role answers `{kind:"cpu"}` with its CPU in µs, `{kind:"memory"}` with its RSS after a GC,
 * and `{kind:"stop"}` by exiting.
 * - ours-node: an im-server push node on port 0 over Redis;
 * - ours-pusher: an IMClient pushing group messages (cmd 4) to the members;
 * - sio-node: a Socket.IO 4 server with @socket.io/redis-adapter, members in room `g`;
 * - sio-emitter: a Socket.IO server (not listening) emitting to room `g` through the adapter;
 * - ws-server: a bare `ws` server that broadcasts each push to every logged-in socket itself;
 * - clients: N members connecting to the given URLs, counting deliveries and latencies.
 * Every system checks the same HS256 token (jose) at login; payloads are the same JSON.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { getHeapSpaceStatistics } from 'node:v8';
import type { AddressInfo } from 'node:net';
import { createSecretKey } from 'node:crypto';
import { jwtVerify } from 'jose';
import pino from 'pino';
import { createClient } from 'redis';
import { Server as SioServer } from 'socket.io';
import { io as sioConnect, type Socket as SioSocket } from 'socket.io-client';
import { createAdapter } from '@socket.io/redis-adapter';
import WebSocket, { WebSocketServer } from 'ws';
import { RedisBus } from '@box-im/im-bus';
import { IMClient } from '@box-im/im-client';
import { readTokenClaims, TokenType } from '@box-im/im-common';
import { listenPushNode, PushServer } from '@box-im/im-server';

const role = process.argv[2];
const env = (k: string) => process.env[k] ?? '';
const secret = env('BENCH_SECRET');
const redisUrl = env('BENCH_REDIS_URL');
const keyPrefix = env('BENCH_KEY_PREFIX');
const key = createSecretKey(Buffer.from(secret, 'utf8'));
const send = (msg: unknown) => process.send?.(msg);
const now = () => performance.timeOrigin + performance.now();

async function userOf(token: string): Promise<number | null> {
  try {
    const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'] });
    return readTokenClaims(payload, TokenType.ACCESS)?.session.userId ?? null;
  } catch {
    return null;
  }
}

const onStop: (() => Promise<void>)[] = [];

/** The role's stop steps one after another (a node closes before its bus: its last commands need the bus). */
async function stopInOrder(): Promise<void> {
  for (const step of onStop) await step().catch(() => undefined);
}
process.on('message', (msg: { kind: string; [k: string]: unknown }) => {
  if (msg.kind === 'cpu') {
    const c = process.cpuUsage();
    send({ kind: 'cpu', micros: c.user + c.system, rss: process.memoryUsage().rss });
  }
  if (msg.kind === 'memory') {
    (globalThis as { gc?: () => void }).gc?.();
    // The breakdown says where RSS goes: V8 heap committed (per space) vs used, off-heap buffers.
    const spaces = Object.fromEntries(
      getHeapSpaceStatistics().map((s) => [
        s.space_name,
        { committed: s.space_size, used: s.space_used_size },
      ]),
    );
    send({ kind: 'memory', ...process.memoryUsage(), spaces });
  }
  if (msg.kind === 'stop') void stopInOrder().then(() => process.exit(0));
  handlers[msg.kind]?.(msg);
});
const handlers: Record<string, (msg: any) => void> = {};

if (role === 'ours-node') {
  const bus = await RedisBus.connect({ url: redisUrl, keyPrefix });
  const push = await PushServer.start({
    bus,
    logger: pino({ level: 'warn' }),
    jwtSecret: secret,
    idleTimeoutMs: 600_000,
    onlineTtlSeconds: 600,
    maxPayloadBytes: 65_536,
  });
  const node = await listenPushNode(push, 0, '127.0.0.1');
  onStop.push(
    () => node.close(),
    () => bus.close(),
  );
  send({ kind: 'ready', url: node.url.replace('http', 'ws') + '/im' });
} else if (role === 'ours-pusher') {
  const bus = await RedisBus.connect({ url: redisUrl, keyPrefix });
  // BENCH_COMPACT_JOBS=0: box-im's job form even to our nodes (A/B of the compact form).
  const client = new IMClient({ bus, appName: 'bench', compactJobs: env('BENCH_COMPACT_JOBS') !== '0' });
  client.start();
  const members = JSON.parse(env('BENCH_MEMBERS')) as number[];
  handlers['push'] = (msg: { i: number }) => {
    void client.sendGroupMessage({
      sender: { id: 1, terminal: 0 },
      recvIds: members,
      // As the platform sends group messages: no per-receiver results (box-im does the same).
      sendResult: false,
      data: { i: msg.i, t: now(), content: 'fan-out bench message' },
    });
  };
  onStop.push(
    () => client.stop(),
    () => bus.close(),
  );
  send({ kind: 'ready' });
} else if (role === 'sio-node' || role === 'sio-emitter') {
  const pub = createClient({ url: redisUrl });
  const sub = pub.duplicate();
  await Promise.all([pub.connect(), sub.connect()]);
  const io = new SioServer({ adapter: createAdapter(pub, sub, { key: `${keyPrefix}socket.io` }) });
  onStop.push(async () => {
    await io.close();
    await Promise.allSettled([pub.quit(), sub.quit()]);
  });
  if (role === 'sio-node') {
    io.use((socket, next) => {
      const token = (socket.handshake.auth as { token?: string }).token ?? '';
      void userOf(token).then((id) => (id === null ? next(new Error('unauthorized')) : next()));
    });
    io.on('connection', (socket) => void socket.join('g'));
    const http = createServer();
    io.attach(http);
    await new Promise<void>((ok) => http.listen(0, '127.0.0.1', 4096, ok));
    send({ kind: 'ready', url: `http://127.0.0.1:${(http.address() as AddressInfo).port}` });
  } else {
    handlers['push'] = (msg: { i: number }) =>
      void io
        .to('g')
        .emit('message', { cmd: 4, data: { i: msg.i, t: now(), content: 'fan-out bench message' } });
    send({ kind: 'ready' });
  }
} else if (role === 'ws-server') {
  const http = createServer();
  const wss = new WebSocketServer({ server: http, path: '/im', perMessageDeflate: false });
  const members = new Set<WebSocket>();
  wss.on('connection', (ws) => {
    ws.once('message', (raw) => {
      const frame = JSON.parse((raw as Buffer).toString()) as { data?: { accessToken?: string } };
      void userOf(frame.data?.accessToken ?? '').then((id) => {
        if (id === null) return ws.close(4001);
        members.add(ws);
        ws.on('close', () => members.delete(ws));
        ws.send(JSON.stringify({ cmd: 0, data: null }));
      });
    });
  });
  handlers['push'] = (msg: { i: number }) => {
    const frame = Buffer.from(
      JSON.stringify({ cmd: 4, data: { i: msg.i, t: now(), content: 'fan-out bench message' } }),
    );
    for (const ws of members) ws.send(frame, { binary: false });
  };
  await new Promise<void>((ok) => http.listen(0, '127.0.0.1', 4096, ok));
  onStop.push(() => new Promise<void>((ok) => wss.close(() => http.close(() => ok()))));
  send({ kind: 'ready', url: `ws://127.0.0.1:${(http.address() as AddressInfo).port}/im` });
} else if (role === 'clients') {
  const kind = env('BENCH_SYSTEM');
  const urls = JSON.parse(env('BENCH_URLS')) as string[];
  const tokens = JSON.parse(readFileSync(env('BENCH_TOKENS_FILE'), 'utf8')) as string[];
  const expected = tokens.length;
  const counts = new Map<number, number>();
  const latencies: number[] = [];
  const onData = (data: { i: number; t: number }) => {
    latencies.push(now() - data.t);
    const n = (counts.get(data.i) ?? 0) + 1;
    if (n === expected) {
      counts.delete(data.i);
      send({ kind: 'done', i: data.i });
    } else counts.set(data.i, n);
  };
  let sockets: (WebSocket | SioSocket)[] = [];
  const open = async (token: string, url: string): Promise<WebSocket | SioSocket> => {
    if (kind === 'sio') {
      const s = sioConnect(url, { auth: { token }, transports: ['websocket'], reconnection: false });
      await new Promise<void>((ok, fail) => {
        s.once('connect', ok);
        s.once('connect_error', fail);
      });
      s.on('message', (f: { data: { i: number; t: number } }) => onData(f.data));
      return s;
    }
    const ws = new WebSocket(url, { perMessageDeflate: false });
    await new Promise<void>((ok, fail) => {
      ws.once('error', fail);
      // Closed by the server before the login answer (e.g. 1011 on a bus timeout): a failed attempt.
      ws.once('close', (code) => fail(new Error(`closed with ${code} before login`)));
      ws.on('message', (raw) => {
        const f = JSON.parse((raw as Buffer).toString()) as { cmd: number; data: { i: number; t: number } };
        if (f.cmd === 0) ok();
        else if (f.cmd === 4) onData(f.data);
      });
      ws.once('open', () => ws.send(JSON.stringify({ cmd: 0, data: { accessToken: token, devId: '' } })));
    });
    return ws;
  };
  /** Connect members [from, to) in batches of 100 (what one client machine would do). */
  const connectRange = async (from: number, to: number) => {
    for (let i = from; i < to; i += 100) {
      const batch = tokens.slice(i, Math.min(to, i + 100));
      sockets.push(...(await Promise.all(batch.map((t, j) => open(t, urls[(i + j) % urls.length]!)))));
    }
  };
  await connectRange(0, Number(env('BENCH_CONNECT_FIRST') || expected));
  handlers['connect'] = (msg: { to?: number }) =>
    void connectRange(sockets.length, msg.to ?? expected).then(() =>
      send({ kind: 'connected', count: sockets.length }),
    );
  // Reconnect storm: every socket dropped at once, then all reconnect at once (one attempt
  // each, retried after 100 ms on failure, at most 20 attempts).
  handlers['storm'] = () => {
    const old = sockets;
    sockets = [];
    for (const s of old) (s as { close(): void }).close();
    const t0 = performance.now();
    let retries = 0;
    void Promise.all(
      tokens.map(async (token, i) => {
        for (let attempt = 0; attempt < 20; attempt++) {
          try {
            sockets.push(await open(token, urls[i % urls.length]!));
            return true;
          } catch {
            retries++;
            await new Promise((r) => setTimeout(r, 100));
          }
        }
        return false;
      }),
    ).then((ok) =>
      send({ kind: 'storm', ms: performance.now() - t0, failed: ok.filter((x) => !x).length, retries }),
    );
  };
  handlers['latencies'] = () => {
    const s = latencies.sort((a, b) => a - b);
    const at = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN;
    send({ kind: 'latencies', n: s.length, p50: at(0.5), p99: at(0.99) });
    latencies.length = 0;
  };
  onStop.push(() => {
    for (const s of sockets) (s as { close(): void }).close();
    return Promise.resolve();
  });
  send({ kind: 'ready' });
}
