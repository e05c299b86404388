/**
 * Scenario (2) of issue 13: fan-out of group messages through Redis across 2 push nodes, the
 * same load against our system, Socket.IO 4 + @socket.io/redis-adapter (2 nodes + an emitter)
 * and a bare `ws` broadcast server (one process, no Redis: the floor). Each process is forked
 * (fanout-roles.ts); members are logged in with the same HS256 tokens; the controller keeps
 * `inFlight` messages outstanding (a message is done when every member has it) until `messages`
 * are done. Figures: deliveries/s, latency p50/p99 (push → member frame, all deliveries), CPU µs
 * per delivery of the nodes alone and of nodes + pusher + Redis (Redis from INFO cpu: on a
 * shared Redis it includes the neighbours' commands).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SignJWT } from 'jose';
import { createClient } from 'redis';
import { RedisBus } from '@box-im/im-bus';
import { PUSH_NODE_FLAGS } from '@box-im/im-server';

export type System = 'ours' | 'sio' | 'ws';

export interface FanoutOptions {
  redisUrl: string;
  members: number;
  messages: number;
  inFlight: number;
}

export interface FanoutFigures {
  system: System;
  deliveries: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  nodeCpuPerDelivery: number;
  totalCpuPerDelivery: number;
  pusherCpuShare: number;
}

export interface Child {
  proc: ChildProcess;
  ready: Record<string, unknown>;
  ask<T>(kind: string, reply: string): Promise<T>;
}

/** A forked role process, once it said `ready`: `ask` sends a request and waits for its reply. */
export function childOf(proc: ChildProcess, role: string, readyMs: number): Promise<Child> {
  const ask = <T>(kind: string, reply: string) =>
    new Promise<T>((ok) => {
      const on = (m: { kind: string }) => {
        if (m.kind !== reply) return;
        proc.off('message', on);
        ok(m as T);
      };
      proc.on('message', on);
      proc.send({ kind });
    });
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`${role}: not ready in ${readyMs / 1000} s`)), readyMs);
    proc.once('exit', (code) => fail(new Error(`${role} exited with ${code}`)));
    proc.on('message', (m: { kind: string }) => {
      if (m.kind !== 'ready') return;
      clearTimeout(timer);
      proc.removeAllListeners('exit');
      ok({ proc, ready: { ...m }, ask });
    });
  });
}

/** Ask a role process to stop; killed if it has not exited within `graceMs`. */
export async function stopChild(c: Child, graceMs: number): Promise<void> {
  c.proc.send({ kind: 'stop' });
  await new Promise<void>((ok) => {
    const t = setTimeout(() => {
      c.proc.kill('SIGKILL');
      ok();
    }, graceMs);
    c.proc.once('exit', () => {
      clearTimeout(t);
      ok();
    });
  });
}

/** Tokens go to the clients process through a file: thousands do not fit in the environment. */
export function tokensFile(tokens: string[]): string {
  const file = join(mkdtempSync(join(tmpdir(), 'im-bench-tokens-')), 'tokens.json');
  writeFileSync(file, JSON.stringify(tokens));
  return file;
}

export const SECRET = `bench-${randomUUID()}`;

/**
 * Node/V8 flags of our push nodes: those production starts them with, or BENCH_NODE_OPTIONS
 * when set (A/B of heap settings; `BENCH_NODE_OPTIONS=" "` for none).
 */
function pushNodeFlags(): readonly string[] {
  const given = process.env['BENCH_NODE_OPTIONS'];
  return given === undefined ? PUSH_NODE_FLAGS : given.split(' ').filter(Boolean);
}

export function spawn(role: string, env: Record<string, string>): Promise<Child> {
  const proc = fork(resolve(import.meta.dirname, 'fanout-roles.ts'), [role], {
    // BENCH_CPU_PROF=dir profiles our pusher and push nodes (`--cpu-prof`).
    execArgv: [
      '--import',
      'tsx',
      '--expose-gc',
      ...(process.env['BENCH_CPU_PROF'] && (role === 'ours-pusher' || role === 'ours-node')
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env['BENCH_CPU_PROF']}`]
        : []),
      ...(role === 'ours-node' ? pushNodeFlags() : []),
    ],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return childOf(proc, role, 60_000);
}

export async function token(userId: number): Promise<string> {
  return new SignJWT({ info: JSON.stringify({ userId, terminal: 0 }), typ: 'access' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setAudience(String(userId))
    .setIssuedAt()
    .setExpirationTime('2h')
    .sign(new TextEncoder().encode(SECRET));
}

async function redisCpuMicros(url: string): Promise<number> {
  const client = createClient({ url });
  await client.connect();
  const info = await client.info('cpu');
  await client.quit();
  const field = (name: string) => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)?.[1] ?? 0);
  return (field('used_cpu_sys') + field('used_cpu_user')) * 1e6;
}

export const cpuOf = async (c: Child) => (await c.ask<{ micros: number }>('cpu', 'cpu')).micros;

export async function runFanout(system: System, o: FanoutOptions): Promise<FanoutFigures> {
  const keyPrefix = `im-bench:${randomUUID()}:`;
  const env = { BENCH_SECRET: SECRET, BENCH_REDIS_URL: o.redisUrl, BENCH_KEY_PREFIX: keyPrefix };
  const ids = Array.from({ length: o.members }, (_, i) => 10_000 + i);
  const tokens = await Promise.all(ids.map(token));
  const children: Child[] = [];
  try {
    const nodes: Child[] = [];
    if (system === 'ws') nodes.push(await spawn('ws-server', env));
    else
      for (let i = 0; i < 2; i++) nodes.push(await spawn(system === 'ours' ? 'ours-node' : 'sio-node', env));
    children.push(...nodes);
    const pusher =
      system === 'ws'
        ? nodes[0]!
        : await spawn(system === 'ours' ? 'ours-pusher' : 'sio-emitter', {
            ...env,
            BENCH_MEMBERS: JSON.stringify(ids),
          });
    if (pusher !== nodes[0]) children.push(pusher);
    const clients = await spawn('clients', {
      ...env,
      BENCH_SYSTEM: system,
      BENCH_URLS: JSON.stringify(nodes.map((n) => n.ready['url'])),
      BENCH_TOKENS_FILE: tokensFile(tokens),
    });
    children.push(clients);

    const cpu0 = await Promise.all(nodes.map(cpuOf));
    const pusherCpu0 = pusher === nodes[0] ? 0 : await cpuOf(pusher);
    const redis0 = system === 'ws' ? 0 : await redisCpuMicros(o.redisUrl);
    const t0 = performance.now();
    await new Promise<void>((ok, fail) => {
      let sent = 0;
      let done = 0;
      const timer = setTimeout(
        () => fail(new Error(`${system}: ${done}/${o.messages} done in 180 s`)),
        180_000,
      );
      const next = () => pusher.proc.send({ kind: 'push', i: sent++ });
      clients.proc.on('message', (m: { kind: string }) => {
        if (m.kind !== 'done') return;
        if (++done === o.messages) {
          clearTimeout(timer);
          ok();
        } else if (sent < o.messages) next();
      });
      for (let i = 0; i < Math.min(o.inFlight, o.messages); i++) next();
    });
    const seconds = (performance.now() - t0) / 1000;
    const cpu1 = await Promise.all(nodes.map(cpuOf));
    const pusherCpu = pusher === nodes[0] ? 0 : (await cpuOf(pusher)) - pusherCpu0;
    const redisCpu = system === 'ws' ? 0 : (await redisCpuMicros(o.redisUrl)) - redis0;
    const lat = await clients.ask<{ p50: number; p99: number }>('latencies', 'latencies');
    const deliveries = o.members * o.messages;
    const nodeCpu = cpu1.reduce((s, c, i) => s + c - cpu0[i]!, 0);
    return {
      system,
      deliveries,
      seconds,
      perSecond: deliveries / seconds,
      p50: lat.p50,
      p99: lat.p99,
      nodeCpuPerDelivery: nodeCpu / deliveries,
      totalCpuPerDelivery: (nodeCpu + pusherCpu + redisCpu) / deliveries,
      pusherCpuShare: pusherCpu / 1e6 / seconds,
    };
  } finally {
    for (const c of children.reverse()) await stopChild(c, 5000);
    await RedisBus.dropKeyspace(o.redisUrl, keyPrefix);
  }
}
