/**
 * Redis topologies a test starts for itself from the local `redis-server` binary: a Redis
 * Cluster and a Sentinel-watched master with a replica. Children on free loopback ports,
 * data in a temporary directory, everything killed and removed by `close()`.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

export const REDIS_SERVER = '/usr/bin/redis-server';
export const REDIS_CLI = '/usr/bin/redis-cli';
/** Why tests of these topologies skip, or undefined when they can run. */
export const REDIS_BINARIES_MISSING =
  existsSync(REDIS_SERVER) && existsSync(REDIS_CLI)
    ? undefined
    : `${REDIS_SERVER} or ${REDIS_CLI} missing (apt-get install redis-server)`;

const run = promisify(execFile);

function portIsFree(port: number): Promise<boolean> {
  return new Promise((ok) => {
    const srv = createServer();
    srv.once('error', () => ok(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => ok(true)));
  });
}

/** A free loopback port (below 55536 with `plus10k`, whose port + 10000 is free as well). */
export async function freePort(plus10k = false): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((ok, fail) => {
      const srv = createServer();
      srv.once('error', fail);
      srv.listen(0, '127.0.0.1', () => {
        const { port } = srv.address() as { port: number };
        srv.close(() => ok(port));
      });
    });
    if (!plus10k) return port;
    if (port < 55536 && (await portIsFree(port + 10000))) return port;
  }
}

/** Resolves once something accepts connections on `port`. */
export async function listening(port: number, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const up = await new Promise<boolean>((ok) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => (s.destroy(), ok(true)));
      s.once('error', () => ok(false));
    });
    if (up) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing listens on ${port}`);
}

/** `redis-cli -p port args…`, its output. */
export async function redisCli(port: number, ...args: string[]): Promise<string> {
  const { stdout } = await run(REDIS_CLI, ['-h', '127.0.0.1', '-p', String(port), ...args]);
  return stdout;
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const EPHEMERAL = ['--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];

export interface RedisCluster {
  /** `redis-cluster://127.0.0.1:p1,…` */
  url: string;
  ports: number[];
  close(): void;
}

/** A Redis Cluster of `masters` masters (no replicas), slots spread evenly, state ok. */
export async function startRedisCluster(masters = 3): Promise<RedisCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'im-redis-cluster-'));
  const children: ChildProcess[] = [];
  const close = () => {
    for (const child of children) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const ports: number[] = [];
    for (let i = 0; i < masters; i++) ports.push(await freePort(true));
    for (const port of ports) {
      const args = ['--port', String(port), ...EPHEMERAL, '--dir', dir];
      args.push('--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`);
      args.push('--cluster-node-timeout', '3000');
      children.push(spawn(REDIS_SERVER, args, { stdio: 'ignore' }));
    }
    await Promise.all(ports.map((port) => listening(port)));
    await run(REDIS_CLI, [
      '--cluster',
      'create',
      ...ports.map((port) => `127.0.0.1:${port}`),
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ]);
    await waitFor(
      'cluster_state:ok on every node',
      async () =>
        (await Promise.all(ports.map((port) => redisCli(port, 'cluster', 'info')))).every(
          (info) => info.includes('cluster_state:ok') && info.includes(`cluster_known_nodes:${masters}`),
        ),
      20_000,
    );
    return { url: `redis-cluster://${ports.map((port) => `127.0.0.1:${port}`).join(',')}`, ports, close };
  } catch (error) {
    close();
    throw error;
  }
}

export interface SentinelGroup {
  /** `redis-sentinel://127.0.0.1:s1,…/<name>` */
  url: string;
  name: string;
  masterPort: number;
  replicaPort: number;
  sentinelPorts: number[];
  /** kill -9 of the master. */
  killMaster(): void;
  /** The port the sentinels now name as master. */
  currentMasterPort(): Promise<number>;
  close(): void;
}

/**
 * A master, one replica in sync and `sentinels` sentinels (quorum: a majority) that all know
 * the replica and each other, so that a fail-over can start as soon as the master dies
 * (declared down after `downAfterMs`).
 */
export async function startSentinelGroup(sentinels = 3, downAfterMs = 1000): Promise<SentinelGroup> {
  const name = 'box-im-failover';
  const dir = mkdtempSync(join(tmpdir(), 'im-sentinel-group-'));
  const children = new Map<number, ChildProcess>();
  const close = () => {
    for (const child of children.values()) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const masterPort = await freePort();
    const replicaPort = await freePort();
    // Each in a directory of its own: a replica's full sync writes an RDB file there.
    const dataDir = (port: number) => {
      const path = join(dir, String(port));
      mkdirSync(path);
      return path;
    };
    children.set(
      masterPort,
      spawn(REDIS_SERVER, ['--port', String(masterPort), ...EPHEMERAL, '--dir', dataDir(masterPort)], {
        stdio: 'ignore',
      }),
    );
    await listening(masterPort);
    const replicaArgs = [
      '--port',
      String(replicaPort),
      ...EPHEMERAL,
      '--dir',
      dataDir(replicaPort),
      '--replicaof',
      '127.0.0.1',
      String(masterPort),
    ];
    children.set(replicaPort, spawn(REDIS_SERVER, replicaArgs, { stdio: 'ignore' }));
    await listening(replicaPort);
    await waitFor(
      'replica in sync',
      async () => (await redisCli(replicaPort, 'info', 'replication')).includes('master_link_status:up'),
      10_000,
    );
    const sentinelPorts: number[] = [];
    for (let i = 0; i < sentinels; i++) {
      const port = await freePort();
      const conf = join(dir, `sentinel-${port}.conf`);
      writeFileSync(
        conf,
        [
          `port ${port}`,
          'bind 127.0.0.1',
          `dir ${dir}`,
          `sentinel monitor ${name} 127.0.0.1 ${masterPort} ${Math.floor(sentinels / 2) + 1}`,
          `sentinel down-after-milliseconds ${name} ${downAfterMs}`,
          `sentinel failover-timeout ${name} 10000`,
          `sentinel parallel-syncs ${name} 1`,
          '',
        ].join('\n'),
      );
      children.set(port, spawn(REDIS_SERVER, [conf, '--sentinel'], { stdio: 'ignore' }));
      sentinelPorts.push(port);
    }
    await Promise.all(sentinelPorts.map((port) => listening(port)));
    await waitFor(
      'sentinels know the replica and each other',
      async () =>
        (await Promise.all(sentinelPorts.map((port) => redisCli(port, 'sentinel', 'master', name)))).every(
          (reply) => {
            const fields = reply.trim().split('\n');
            const field = (key: string) => fields[fields.indexOf(key) + 1];
            return field('num-slaves') === '1' && field('num-other-sentinels') === String(sentinels - 1);
          },
        ),
      20_000,
    );
    return {
      url: `redis-sentinel://${sentinelPorts.map((port) => `127.0.0.1:${port}`).join(',')}/${name}`,
      name,
      masterPort,
      replicaPort,
      sentinelPorts,
      killMaster: () => void children.get(masterPort)?.kill('SIGKILL'),
      currentMasterPort: async () =>
        Number(
          (await redisCli(sentinelPorts[0]!, 'sentinel', 'get-master-addr-by-name', name))
            .trim()
            .split('\n')[1],
        ),
      close,
    };
  } catch (error) {
    close();
    throw error;
  }
}
