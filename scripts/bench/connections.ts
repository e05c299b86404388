/**
 * Scenarios (1) and (5) of issue 13, with the processes of fanout-roles.ts: idle logged-in
 * sockets (RSS of the node processes per connection between two counts) and a reconnect storm
 * (every client dropped at once, all reconnect at once: time until all are logged in again).
 */
import { randomUUID } from 'node:crypto';
import { RedisBus } from '@box-im/im-bus';
import { cpuOf, spawn, stopChild, token, tokensFile, SECRET, type Child, type System } from './fanout';

async function withSystem<T>(
  system: System,
  redisUrl: string,
  clientCount: number,
  connectFirst: number,
  body: (nodes: Child[], clients: Child) => Promise<T>,
): Promise<T> {
  const keyPrefix = `im-bench:${randomUUID()}:`;
  const env = { BENCH_SECRET: SECRET, BENCH_REDIS_URL: redisUrl, BENCH_KEY_PREFIX: keyPrefix };
  const tokens = await Promise.all(Array.from({ length: clientCount }, (_, i) => token(10_000 + i)));
  const children: Child[] = [];
  try {
    const nodes: Child[] = [];
    const nodeCount = system === 'ws' ? 1 : 2;
    for (let i = 0; i < nodeCount; i++)
      nodes.push(
        await spawn(system === 'ours' ? 'ours-node' : system === 'sio' ? 'sio-node' : 'ws-server', env),
      );
    children.push(...nodes);
    const clients = await spawn('clients', {
      ...env,
      BENCH_SYSTEM: system,
      BENCH_URLS: JSON.stringify(nodes.map((n) => n.ready['url'])),
      BENCH_TOKENS_FILE: tokensFile(tokens),
      BENCH_CONNECT_FIRST: String(connectFirst),
    });
    children.push(clients);
    return await body(nodes, clients);
  } finally {
    for (const c of children.reverse()) await stopChild(c, 5000);
    await RedisBus.dropKeyspace(redisUrl, keyPrefix);
  }
}

export interface StormFigures {
  system: System;
  clients: number;
  ms: number;
  failed: number;
  retries: number;
  /**
   * CPU of the node processes during the storm per client logged in again, in µs (closing the
   * dropped sockets included): steadier than the wall time on a loaded machine.
   */
  nodeCpuMicrosPerLogin: number;
}

export async function runStorm(
  system: System,
  o: { redisUrl: string; clients: number },
): Promise<StormFigures> {
  return withSystem(system, o.redisUrl, o.clients, o.clients, async (nodes, clients) => {
    const nodeCpu = async () => (await Promise.all(nodes.map(cpuOf))).reduce((a, b) => a + b, 0);
    const before = await nodeCpu();
    const r = await clients.ask<{ ms: number; failed: number; retries: number }>('storm', 'storm');
    const nodeCpuMicrosPerLogin = (await nodeCpu()) - before;
    return {
      system,
      clients: o.clients,
      ms: r.ms,
      failed: r.failed,
      retries: r.retries,
      nodeCpuMicrosPerLogin: nodeCpuMicrosPerLogin / Math.max(1, o.clients - r.failed),
    };
  });
}
