/**
 * Test kit for push-node tests: buses to run against, token signing, disposable nodes on
 * port 0 and a WebSocket client that buffers frames so tests can await them.
 *
 * - `busWorlds()`: memory always, Redis when IM_TEST_REDIS_URL is set (random key prefix);
 * - `world.startNode()`: a PushServer attached to an http server on an ephemeral port;
 * - `TestClient.open(url)` then `login(token)`, `nextFrame()`, `waitForClose()`.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT } from 'jose';
import { pino } from 'pino';
import WebSocket from 'ws';
import { afterEach, beforeEach } from 'vitest';
import { MemoryBus, RedisBus, type Bus } from '@box-im/im-bus';
import { IMClient } from '@box-im/im-client';
import { RedisKey } from '@box-im/im-common';
import { PushServer, type PushServerOptions } from '@box-im/im-server';
import { switchableBus, tcpRelay, type BusFault } from './bus-fault';

export const SECRET = 'test-access-secret';
export const silentLogger = pino({ level: process.env['IM_TEST_LOG_LEVEL'] ?? 'silent' });

export interface TokenOptions {
  secret?: string;
  expiresInSeconds?: number;
  /** `typ` claim, as the platform writes it; absent by default, as in box-im's tokens. */
  type?: string;
  /** `iat` in epoch ms (written as fractional seconds, as the platform does); absent by default. */
  issuedAtMs?: number;
  /** `aud`; the user id by default. */
  audience?: string;
}

/**
 * Sign an access token exactly as box-im does (HS256, aud, exp, info as a JSON string), or
 * with the platform's extra claims (`typ`, `iat`) when asked.
 */
export async function signToken(
  userId: number,
  terminal: number,
  options: TokenOptions = {},
): Promise<string> {
  const info = JSON.stringify({ userId, terminal, userName: `user${userId}`, nickName: `User ${userId}` });
  const jwt = new SignJWT({ info, ...(options.type !== undefined ? { typ: options.type } : {}) })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setAudience(options.audience ?? String(userId))
    .setExpirationTime(Math.floor(Date.now() / 1000) + (options.expiresInSeconds ?? 1800));
  if (options.issuedAtMs !== undefined) jwt.setIssuedAt(options.issuedAtMs / 1000);
  return jwt.sign(new TextEncoder().encode(options.secret ?? SECRET));
}

export interface TestNode {
  server: PushServer;
  /** The bus connection of this node (own connection on Redis, shared instance in memory). */
  bus: Bus;
  url: string;
  http: Server;
  close(): Promise<void>;
}

/** A bus namespace for one suite: every `connect()` joins the same namespace. */
export interface BusWorld {
  name: string;
  connect(): Promise<Bus>;
  startNode(overrides?: Partial<PushServerOptions>): Promise<TestNode>;
  /** A node whose own bus connection can be cut (see bus-fault.ts); the world's bus stays up. */
  startFaultyNode(overrides?: Partial<PushServerOptions>): Promise<TestNode & { fault: BusFault }>;
  /** A bus connection of the world that can be cut (see bus-fault.ts), e.g. a pusher's. */
  connectFaulty(): Promise<{ bus: Bus; fault: BusFault }>;
  /** Close every node and bus of the world, and delete its Redis keys. */
  dispose(): Promise<void>;
}

function makeWorld(
  name: string,
  connectBus: () => Promise<Bus>,
  connectFaulty: () => Promise<{ bus: Bus; fault: BusFault }>,
  cleanup: () => Promise<void>,
): BusWorld {
  const buses: Bus[] = [];
  const nodes: TestNode[] = [];
  const faults: BusFault[] = [];
  const connect = async (): Promise<Bus> => {
    const bus = await connectBus();
    if (!buses.includes(bus)) buses.push(bus);
    return bus;
  };
  const startNodeOn = async (bus: Bus, overrides: Partial<PushServerOptions>): Promise<TestNode> => {
    const server = await PushServer.start({
      bus,
      logger: silentLogger,
      jwtSecret: SECRET,
      idleTimeoutMs: 10_000,
      onlineTtlSeconds: 600,
      maxPayloadBytes: 64 * 1024,
      ...overrides,
    });
    const http = createServer((_req, res) => res.writeHead(404).end());
    server.attach(http);
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const { port } = http.address() as AddressInfo;
    let closing: Promise<void> | undefined;
    const node: TestNode = {
      server,
      bus,
      http,
      url: `ws://127.0.0.1:${port}/im`,
      close: () =>
        (closing ??= (async () => {
          await server.close();
          http.closeAllConnections();
          await new Promise<void>((resolve) => http.close(() => resolve()));
        })()),
    };
    nodes.push(node);
    return node;
  };
  return {
    name,
    connect,
    startNode: async (overrides = {}) => startNodeOn(await connect(), overrides),
    async startFaultyNode(overrides = {}) {
      const { bus, fault } = await this.connectFaulty();
      return { ...(await startNodeOn(bus, overrides)), fault };
    },
    async connectFaulty() {
      const { bus, fault } = await connectFaulty();
      faults.push(fault);
      if (!buses.includes(bus)) buses.push(bus);
      return { bus, fault };
    },
    async dispose() {
      for (const fault of faults) fault.restore();
      await Promise.all(nodes.map((n) => n.close()));
      await Promise.all(buses.map((b) => b.close()));
      await Promise.all(faults.map((f) => f.close()));
      await cleanup();
    },
  };
}

/** The buses to run every suite against. */
export function busWorlds(): { name: string; create: () => BusWorld }[] {
  const worlds = [
    {
      name: 'memory',
      create: () => {
        const bus = new MemoryBus();
        return makeWorld(
          'memory',
          () => Promise.resolve(bus),
          () => Promise.resolve(switchableBus(bus)),
          () => Promise.resolve(),
        );
      },
    },
  ];
  const url = process.env['IM_TEST_REDIS_URL'];
  if (url) {
    worlds.push({
      name: 'redis',
      create: () => {
        const keyPrefix = `im-test:${randomUUID()}:`;
        return makeWorld(
          'redis',
          () => RedisBus.connect({ url, keyPrefix }),
          async () => {
            const relay = await tcpRelay(url);
            // Commands wait this long for a reconnection before failing (default 2 s).
            const bus = await RedisBus.connect({ url: relay.url, keyPrefix, commandTimeoutMs: 300 });
            return { bus, fault: relay.fault };
          },
          () => RedisBus.dropKeyspace(url, keyPrefix),
        );
      },
    });
  }
  return worlds;
}

/** What `useNodes` sets up before each test. */
export interface NodesFixture {
  world: BusWorld;
  /** The world's own bus connection. */
  bus: Bus;
  /** An SDK on that bus, as the platform holds one. */
  im: IMClient;
  nodes: TestNode[];
  /** A socket on `node`, not logged in; closed after the test. */
  open: (node: TestNode) => Promise<TestClient>;
  /** A socket on `node` logged in as (user, terminal); closed after the test. */
  connect: (node: TestNode, userId: number, terminal: number) => Promise<TestClient>;
  /** The route of (user, terminal): the server id as stored, or null. */
  route: (userId: number, terminal: number) => Promise<string | null>;
}

/**
 * Before each test: a fresh world with `count` push nodes and a started IMClient; after it,
 * every socket opened through `open` is closed and the world disposed. Call inside describe.
 */
export function useNodes(create: () => BusWorld, count: number): NodesFixture {
  const clients: TestClient[] = [];
  const fixture = {
    nodes: [] as TestNode[],
    open: async (node: TestNode) => {
      const client = await TestClient.open(node.url);
      clients.push(client);
      return client;
    },
    connect: async (node: TestNode, userId: number, terminal: number) => {
      const client = await TestClient.connect(node.url, userId, terminal);
      clients.push(client);
      return client;
    },
    route: (userId: number, terminal: number) => fixture.bus.get(RedisKey.userServerId(userId, terminal)),
  } as NodesFixture;
  beforeEach(async () => {
    fixture.world = create();
    fixture.nodes = [];
    for (let i = 0; i < count; i++) fixture.nodes.push(await fixture.world.startNode());
    fixture.bus = await fixture.world.connect();
    fixture.im = new IMClient({ bus: fixture.bus, appName: 'im-platform' });
    fixture.im.start();
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await fixture.im.stop();
    await fixture.world.dispose();
  });
  return fixture;
}

/** Wrap a bus to record every `push` (queue and item count), delegating everything else. */
export function recordPushes(bus: Bus, log: { queue: string; items: string[] }[]): Bus {
  return new Proxy(bus, {
    get(target, prop) {
      if (prop === 'push') {
        return (queue: string, items: readonly string[]) => {
          log.push({ queue, items: [...items] });
          return target.push(queue, items);
        };
      }
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

export interface Frame {
  cmd: number;
  data: unknown;
}

export interface CloseEvent {
  code: number;
  reason: string;
}

/** A WebSocket client that queues inbound frames; `nextFrame()` awaits the next one. */
export class TestClient {
  private readonly queue: Frame[] = [];
  private waiter: ((frame: Frame) => void) | undefined;
  /** Every frame received so far, in order. */
  readonly received: Frame[] = [];
  readonly closed: Promise<CloseEvent>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (raw: Buffer) => {
      const frame = JSON.parse(raw.toString('utf8')) as Frame;
      this.received.push(frame);
      if (this.waiter) {
        const w = this.waiter;
        this.waiter = undefined;
        w(frame);
      } else this.queue.push(frame);
    });
    this.closed = new Promise((resolve) =>
      ws.on('close', (code, reason) => resolve({ code, reason: reason.toString('utf8') })),
    );
  }

  static open(url: string): Promise<TestClient> {
    const ws = new WebSocket(url);
    const client = new TestClient(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(client));
      ws.once('error', reject);
    });
  }

  /** Open a socket and log in; resolves after the login ack. */
  static async connect(
    url: string,
    userId: number,
    terminal: number,
    devId?: string | number,
  ): Promise<TestClient> {
    const client = await TestClient.open(url);
    await client.login(await signToken(userId, terminal), devId);
    return client;
  }

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  send(frame: unknown): void {
    this.ws.send(JSON.stringify(frame));
  }

  async login(
    accessToken: string,
    devId: string | number = Math.floor(Math.random() * 1_000_000),
  ): Promise<void> {
    this.send({ cmd: 0, data: { accessToken, devId } });
    const ack = await this.nextFrame();
    if (ack.cmd !== 0 || ack.data !== null)
      throw new Error(`expected a login ack, got ${JSON.stringify(ack)}`);
  }

  nextFrame(timeoutMs = 3000): Promise<Frame> {
    const queued = this.queue.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        reject(new Error(`no frame within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiter = (frame) => {
        clearTimeout(timer);
        resolve(frame);
      };
    });
  }

  async waitForClose(timeoutMs = 3000): Promise<CloseEvent> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`socket not closed within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      return await Promise.race([this.closed, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  close(): void {
    this.ws.close();
  }
}

export { captureLogs, until } from '@box-im/im-process/testing';
