/**
 * The whole system under test: a standalone server (platform + push node, one port) on a
 * fresh database, with users that open real WebSockets. For what needs sockets: pushes,
 * multi-terminal sync, the clients' wire contract, the web client in a browser.
 *
 *   const t = await startTestServer({ engine: 'sqlite' });
 *   const alice = await t.newUser('alice');           // registered + logged in (web)
 *   const res = await alice.api.get('/user/self');    // { code, message, data }
 *   const ws = await alice.socket();                   // logged-in WebSocket
 *   await t.close();
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  adminConsole,
  ApiClient,
  createTestDatabase,
  REDIS_URL,
  TestClock,
  testEnv,
  userFactory,
  type AdminConsole,
  type Engine,
  type TestDatabase,
  type TestUser as ApiUser,
  type UserFactory,
} from '@box-im/im-platform/testing';
import { closeInOrder } from '@box-im/im-process';
import type { Logger } from 'pino';
import { startStandalone, type Running } from '../src/standalone';
import { TestSocket } from './ws-client';

/** A test user of the whole system: the API as this user, and WebSockets of its terminal. */
export interface TestUser extends ApiUser {
  /** A logged-in WebSocket of this user's terminal. */
  socket(devId?: string | number): Promise<TestSocket>;
  onTerminal(terminal: number): Promise<TestUser>;
}

export interface TestServer extends UserFactory<TestUser> {
  /** `http://127.0.0.1:port` (API at /api, WebSocket at /im, web client at /). */
  url: string;
  port: number;
  dataDir: string;
  running: Running;
  clock: TestClock;
  db: TestDatabase;
  anon: ApiClient;
  /** What box-im's admin console does: ban users and groups. */
  admin: AdminConsole;
  close(): Promise<void>;
}

export interface TestServerOptions {
  /** @default 'sqlite' */
  engine?: Engine;
  /** Redis as the bus (needs IM_TEST_REDIS_URL). */
  redis?: boolean;
  /** Configuration variables over the test defaults. */
  env?: Record<string, string>;
  /** @default 0 (a free port) */
  port?: number;
  /**
   * Keep the data here (SQLite file and uploads) so that a restart on it finds everything;
   * the caller removes it. @default a fresh folder, removed on close
   */
  dataDir?: string;
  /** A built web client to serve at `/`. */
  webRoot?: string;
  /** Log here (tests that check what is logged). @default quiet, or IM_TEST_LOG_LEVEL */
  logger?: Logger;
  /** A built H5 mobile client to serve at `/h5/`. */
  h5Root?: string;
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const keepData = options.dataDir !== undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'im-data-'));
  const engine = options.engine ?? 'sqlite';
  const db: TestDatabase =
    keepData && engine === 'sqlite'
      ? { engine, url: `sqlite:${join(dataDir, 'im.db')}`, drop: () => Promise.resolve() }
      : await createTestDatabase(engine);
  const clock = new TestClock();
  const running = await startStandalone({
    port: options.port ?? 0,
    dataDir,
    ...(options.webRoot ? { webRoot: options.webRoot } : {}),
    ...(options.h5Root ? { h5Root: options.h5Root } : {}),
    env: testEnv(db, dataDir, { REDIS_URL: options.redis ? REDIS_URL : undefined, ...options.env }),
    context: { clock },
    ...(options.logger ? { logger: options.logger } : {}),
  });
  const anon = new ApiClient(running.url);
  const users = userFactory<TestUser>(anon, (user) => ({
    ...user,
    socket: (devId) => TestSocket.login(running.url, user.api.accessToken!, devId),
    onTerminal: user.onTerminal as TestUser['onTerminal'],
  }));
  return {
    url: running.url,
    port: Number(new URL(running.url).port),
    dataDir,
    running,
    clock,
    db,
    anon,
    admin: adminConsole(running.ctx),
    ...users,
    close: () =>
      closeInOrder('test server', [
        () => running.close(),
        () => db.drop(),
        () => Promise.resolve(keepData ? undefined : rmSync(dataDir, { recursive: true, force: true })),
      ]),
  };
}
