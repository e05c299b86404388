/**
 * The platform under test without a push node: the app factory on a fresh database, called
 * through `inject()` (or on port 0 for tests that fetch the URLs it hands out). Routes,
 * validation, errors and everything stored are tested here; pushes over WebSocket belong to
 * the system tests of `@box-im/im-standalone`.
 *
 *   const t = await startTestApp();                    // memory bus + in-memory SQLite
 *   const alice = await t.newUser('alice');            // registered + logged in (web)
 *   const res = await alice.api.get('/user/self');     // { code, message, data, status, headers }
 *   t.clock.advance(6 * 60_000);                       // instead of sleeping
 *   await t.close();
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryBus } from '@box-im/im-bus';
import { closeInOrder, createLogger } from '@box-im/im-process';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { buildApp } from '../src/app';
import { loadPlatformConfig } from '../src/config';
import { createContext, type AppContext } from '../src/context';
import { adminConsole, type AdminConsole } from './admin';
import { ApiClient } from './api-client';
import { TestClock } from './clock';
import { createTestDatabase, REDIS_URL, type Engine, type TestDatabase } from './engines';
import { injectFetch } from './inject';
import { userFactory, type TestUser, type UserFactory } from './users';

export interface TestAppOptions {
  /** @default 'sqlite' (in memory, unless `listen`) */
  engine?: Engine;
  /** Redis as the bus (needs IM_TEST_REDIS_URL); default the in-process bus. */
  redis?: boolean;
  /** Configuration variables over the test defaults. */
  env?: Record<string, string>;
  /** Listen on port 0 and call it over HTTP (uploads, redirects). @default false: `inject()` */
  listen?: boolean;
  /** Log here (tests that check what is logged). @default quiet, or IM_TEST_LOG_LEVEL */
  logger?: Logger;
}

export interface TestApp extends UserFactory<TestUser> {
  /** Base URL of the API's host (`http://inject.test` without `listen`). */
  url: string;
  running: { url: string; ctx: AppContext; app: FastifyInstance };
  clock: TestClock;
  db: TestDatabase;
  anon: ApiClient;
  admin: AdminConsole;
  close(): Promise<void>;
}

/**
 * Every suite registers, logs in and connects its users from one address (loopback, or nginx in
 * front): the per-address limits are lifted (the rate-limit suite sets its own); the per-user
 * ones keep their defaults.
 */
export const LIFTED_ADDRESS_LIMITS = {
  RATE_LIMIT_REGISTER_IP: '100000/1m',
  RATE_LIMIT_LOGIN_IP: '100000/1m',
  RATE_LIMIT_WS_CONNECT_IP: '100000/1m',
} as const;

/** Configuration of a test platform: quiet logs, local address, the given database. */
export function testEnv(db: TestDatabase, dataDir: string, env: Record<string, string | undefined> = {}) {
  return {
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    DATABASE_URL: db.url,
    LOG_LEVEL: process.env['IM_TEST_LOG_LEVEL'] ?? 'silent',
    LOG_PRETTY: 'false',
    ...LIFTED_ADDRESS_LIMITS,
    ...env,
  };
}

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const engine = options.engine ?? 'sqlite';
  const db: TestDatabase =
    engine === 'sqlite' && !options.listen
      ? { engine, url: 'sqlite::memory:', drop: () => Promise.resolve() }
      : await createTestDatabase(engine);
  const dataDir = mkdtempSync(join(tmpdir(), 'im-app-'));
  if (options.redis && !REDIS_URL) throw new Error('redis: true needs IM_TEST_REDIS_URL');
  const config = loadPlatformConfig(
    testEnv(db, dataDir, {
      ...(options.redis ? { REDIS_URL, REDIS_KEY_PREFIX: `im-test:${randomUUID()}:` } : {}),
      ...options.env,
    }),
  );
  const log = options.logger ?? createLogger({ name: 'test', level: config.LOG_LEVEL, pretty: false });
  const clock = new TestClock();
  const memoryBus = options.redis ? undefined : new MemoryBus();
  const ctx = await createContext(config, log, { clock, ...(memoryBus ? { bus: memoryBus } : {}) });
  const app = await buildApp(ctx);
  const url = options.listen
    ? (await app.listen({ port: 0, host: '127.0.0.1' })).replace('localhost', '127.0.0.1')
    : 'http://inject.test';
  const anon = new ApiClient(url, undefined, 'zh-CN', options.listen ? fetch : injectFetch(app));
  return {
    url,
    running: { url, ctx, app },
    clock,
    db,
    anon,
    admin: adminConsole(ctx),
    ...userFactory(anon, (user) => user),
    close: () =>
      closeInOrder('test app', [
        () => app.close(),
        () => ctx.close(),
        () => memoryBus?.close() ?? Promise.resolve(),
        () => db.drop(),
        () => Promise.resolve(rmSync(dataDir, { recursive: true, force: true })),
      ]),
  };
}
