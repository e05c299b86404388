/**
 * Cluster mode in one process: a platform (API) and N push nodes (im-server) that share
 * one Redis under a random key prefix, with a fresh database of the chosen engine. Users'
 * sockets can connect to different nodes, so every push crosses Redis:
 *
 *   const c = await startCluster({ engine: 'postgres' });   // needs IM_TEST_REDIS_URL
 *   const alice = await c.newUser('alice');
 *   const ws = await alice.socketAt(1);                      // on the second push node
 *   await c.close();
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RedisBus } from '@box-im/im-bus';
import type { LoginVO } from '@box-im/im-common';
import { PushServer } from '@box-im/im-server';
import type { FastifyInstance } from 'fastify';
import { createClient } from 'redis';
import { buildApp } from '../../src/app';
import { loadPlatformConfig } from '../../src/config';
import { createContext, type AppContext } from '../../src/context';
import { createLogger } from '../../src/logger';
import { createTestDatabase, REDIS_URL, type Engine, type TestDatabase } from './engines';
import { ApiClient, type TestUser } from './harness';
import { TestSocket } from './ws-client';

export interface ClusterNode {
  server: PushServer;
  http: Server;
  /** `http://127.0.0.1:port` of this node (sockets go to `/im`). */
  url: string;
  /** Stop the node gracefully (sockets closed with 1012, routes removed). */
  close(): Promise<void>;
}

export interface ClusterUser extends TestUser {
  /** A logged-in WebSocket of this user's terminal on push node `node`. */
  socketAt(node: number, devId?: string | number): Promise<TestSocket>;
  onTerminal(terminal: number): Promise<ClusterUser>;
}

export interface TestCluster {
  /** Base URL of the platform API. */
  url: string;
  ctx: AppContext;
  app: FastifyInstance;
  nodes: ClusterNode[];
  db: TestDatabase;
  anon: ApiClient;
  /** Prefix of every Redis key of this cluster. */
  keyPrefix: string;
  newUser(prefix?: string, terminal?: number): Promise<ClusterUser>;
  befriend(a: TestUser, b: TestUser): Promise<void>;
  /** Start one more push node on the same bus. */
  addNode(): Promise<ClusterNode>;
  /** Delete every Redis key of the cluster, as a Redis restart without persistence does. */
  flushRedis(): Promise<void>;
  close(): Promise<void>;
}

export interface ClusterOptions {
  engine: Engine;
  /** Push nodes to start. @default 2 */
  nodes?: number;
  env?: Record<string, string>;
}

let counter = 0;

async function deleteKeys(url: string, prefix: string): Promise<void> {
  const client = createClient({ url });
  await client.connect();
  for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) {
    if (keys.length > 0) await client.del(keys);
  }
  await client.close();
}

/** Start a platform plus `nodes` push nodes on Redis (IM_TEST_REDIS_URL must be set). */
export async function startCluster(options: ClusterOptions): Promise<TestCluster> {
  if (!REDIS_URL) throw new Error('startCluster needs IM_TEST_REDIS_URL');
  const redisUrl = REDIS_URL;
  const keyPrefix = `im-test:${randomUUID()}:`;
  const db = await createTestDatabase(options.engine);
  const dataDir = mkdtempSync(join(tmpdir(), 'im-cluster-'));
  const config = loadPlatformConfig({
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    DATABASE_URL: db.url,
    LOG_LEVEL: process.env['IM_TEST_LOG_LEVEL'] ?? 'silent',
    LOG_PRETTY: 'false',
    ...options.env,
  });
  const log = createLogger({ level: config.LOG_LEVEL, pretty: false, name: 'cluster' });
  const platformBus = await RedisBus.connect({ url: redisUrl, keyPrefix });
  const ctx = await createContext(config, log, { bus: platformBus });
  const app = await buildApp(ctx);
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  const url = address.replace('localhost', '127.0.0.1');
  const anon = new ApiClient(url);
  const nodes: ClusterNode[] = [];

  async function addNode(): Promise<ClusterNode> {
    const bus = await RedisBus.connect({ url: redisUrl, keyPrefix });
    const server = await PushServer.start({
      bus,
      logger: log.child({ mod: 'im-server' }),
      jwtSecret: config.JWT_ACCESS_SECRET,
      idleTimeoutMs: config.WS_IDLE_TIMEOUT_SECONDS * 1000,
      onlineTtlSeconds: config.ONLINE_TTL_SECONDS,
      maxPayloadBytes: config.WS_MAX_PAYLOAD_BYTES,
    });
    const http = createServer((_req, res) => res.writeHead(404).end());
    server.attach(http);
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const { port } = http.address() as AddressInfo;
    let closing: Promise<void> | undefined;
    const node: ClusterNode = {
      server,
      http,
      url: `http://127.0.0.1:${port}`,
      close: () =>
        (closing ??= (async () => {
          await server.close();
          http.closeAllConnections();
          await new Promise<void>((resolve) => http.close(() => resolve()));
          await bus.close();
        })()),
    };
    nodes.push(node);
    return node;
  }
  for (let i = 0; i < (options.nodes ?? 2); i++) await addNode();

  async function loginAs(
    userName: string,
    password: string,
    terminal: number,
    id: number,
  ): Promise<ClusterUser> {
    const login = await anon.post<LoginVO>('/login', { terminal, userName, password });
    if (login.code !== 200 || !login.data) throw new Error(`login failed: ${login.message}`);
    const api = new ApiClient(url, login.data.accessToken);
    const socketAt = (node: number, devId?: string | number) => {
      const target = nodes[node];
      if (!target) throw new Error(`no push node ${node}`);
      return TestSocket.login(target.url, login.data!.accessToken, devId);
    };
    const user: ClusterUser = {
      id,
      userName,
      nickName: userName,
      password,
      tokens: login.data,
      api,
      socket: (devId) => socketAt(0, devId),
      socketAt,
      onTerminal: (t) => loginAs(userName, password, t, user.id),
    };
    return user;
  }

  return {
    url,
    ctx,
    app,
    nodes,
    db,
    anon,
    keyPrefix,
    addNode,
    async newUser(prefix = 'u', terminal = 0) {
      const userName = `${prefix}${++counter}${randomBytes(2).toString('hex')}`.slice(0, 20);
      const password = 'secret123';
      const reg = await anon.post('/register', { userName, password, nickName: userName });
      if (reg.code !== 200) throw new Error(`register failed: ${reg.message}`);
      const user = await loginAs(userName, password, terminal, 0);
      const self = await user.api.get<{ id: number }>('/user/self');
      user.id = self.data!.id;
      return user;
    },
    async befriend(a, b) {
      const res = await a.api.post(`/friend/add?friendId=${b.id}`);
      if (res.code !== 200) throw new Error(`friend add failed: ${res.message}`);
    },
    flushRedis: () => deleteKeys(redisUrl, keyPrefix),
    async close() {
      for (const node of nodes) await node.close();
      await app.close();
      await ctx.close();
      await platformBus.close();
      await deleteKeys(redisUrl, keyPrefix);
      await db.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
