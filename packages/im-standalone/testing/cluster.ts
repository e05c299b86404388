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
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RedisBus } from '@box-im/im-bus';
import { buildApp, createContext, type AppContext } from '@box-im/im-platform';
import {
  ApiClient,
  createTestDatabase,
  REDIS_URL,
  testEnv,
  userFactory,
  type Engine,
  type TestDatabase,
  type UserFactory,
} from '@box-im/im-platform/testing';
import { closeInOrder, createLogger, pushNodeSettings } from '@box-im/im-process';
import { listenPushNode, PushServer, type ListeningNode } from '@box-im/im-server';
import type { FastifyInstance } from 'fastify';
import { loadStandaloneConfig } from '../src/config';
import type { TestUser } from './server';
import { TestSocket } from './ws-client';

export interface ClusterNode extends ListeningNode {
  server: PushServer;
}

export interface ClusterUser extends TestUser {
  /** A logged-in WebSocket of this user's terminal on push node `node`. */
  socketAt(node: number, devId?: string | number): Promise<TestSocket>;
  onTerminal(terminal: number): Promise<ClusterUser>;
}

/** Another platform process of the cluster: its own bus connection, services and caches. */
export interface ClusterPlatform {
  url: string;
  ctx: AppContext;
  /** An API client of this platform, with `accessToken` when given. */
  api(accessToken?: string): ApiClient;
}

export interface TestCluster extends UserFactory<ClusterUser> {
  /** Base URL of the platform API. */
  url: string;
  ctx: AppContext;
  app: FastifyInstance;
  nodes: ClusterNode[];
  db: TestDatabase;
  anon: ApiClient;
  /** Prefix of every Redis key of this cluster. */
  keyPrefix: string;
  /** Start one more push node on the same bus. */
  addNode(): Promise<ClusterNode>;
  /** Start one more platform (API) on the same database and bus. */
  addPlatform(): Promise<ClusterPlatform>;
  /** Delete every Redis key of the cluster, as a Redis restart without persistence does. */
  flushRedis(): Promise<void>;
  close(): Promise<void>;
}

export interface ClusterOptions {
  engine: Engine;
  /** Push nodes to start. @default 2 */
  nodes?: number;
  env?: Record<string, string>;
  /** The Redis to use (any REDIS_URL form, e.g. `redis-cluster://…`). @default IM_TEST_REDIS_URL */
  redisUrl?: string;
}

/** Start a platform plus `nodes` push nodes on Redis (IM_TEST_REDIS_URL, or `redisUrl`). */
export async function startCluster(options: ClusterOptions): Promise<TestCluster> {
  const chosen = options.redisUrl ?? REDIS_URL;
  if (!chosen) throw new Error('startCluster needs IM_TEST_REDIS_URL or a redisUrl');
  const redisUrl: string = chosen;
  const keyPrefix = `im-test:${randomUUID()}:`;
  const db = await createTestDatabase(options.engine);
  const dataDir = mkdtempSync(join(tmpdir(), 'im-cluster-'));
  const config = loadStandaloneConfig(testEnv(db, dataDir, options.env));
  const log = createLogger({ name: 'cluster', level: config.LOG_LEVEL, pretty: false });
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
      ...pushNodeSettings(config),
    });
    const listening = await listenPushNode(server, 0, '127.0.0.1');
    let closing: Promise<void> | undefined;
    const node: ClusterNode = {
      ...listening,
      server,
      close: () => (closing ??= closeInOrder('push node', [() => listening.close(), () => bus.close()])),
    };
    nodes.push(node);
    return node;
  }
  for (let i = 0; i < (options.nodes ?? 2); i++) await addNode();

  const extraPlatforms: (() => Promise<void>)[] = [];
  async function addPlatform(): Promise<ClusterPlatform> {
    const bus = await RedisBus.connect({ url: redisUrl, keyPrefix });
    const platformCtx = await createContext(config, log, { bus });
    const platformApp = await buildApp(platformCtx);
    const at = (await platformApp.listen({ port: 0, host: '127.0.0.1' })).replace('localhost', '127.0.0.1');
    extraPlatforms.push(() =>
      closeInOrder('platform', [() => platformApp.close(), () => platformCtx.close(), () => bus.close()]),
    );
    return { url: at, ctx: platformCtx, api: (token) => new ApiClient(at, token) };
  }

  const users = userFactory<ClusterUser>(anon, (user) => {
    const socketAt = (node: number, devId?: string | number) => {
      const target = nodes[node];
      if (!target) throw new Error(`no push node ${node}`);
      return TestSocket.login(target.url, user.api.accessToken!, devId);
    };
    return {
      ...user,
      socket: (devId) => socketAt(0, devId),
      socketAt,
      onTerminal: user.onTerminal as ClusterUser['onTerminal'],
    };
  });

  return {
    url,
    ctx,
    app,
    nodes,
    db,
    anon,
    keyPrefix,
    addNode,
    addPlatform,
    ...users,
    flushRedis: () => RedisBus.dropKeyspace(redisUrl, keyPrefix),
    close: () =>
      closeInOrder('test cluster', [
        ...nodes.map((node) => () => node.close()),
        ...extraPlatforms.map((close) => close),
        () => app.close(),
        () => ctx.close(),
        () => platformBus.close(),
        () => RedisBus.dropKeyspace(redisUrl, keyPrefix),
        () => db.drop(),
        () => Promise.resolve(rmSync(dataDir, { recursive: true, force: true })),
      ]),
  };
}
