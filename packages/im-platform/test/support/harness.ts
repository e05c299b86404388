/**
 * A running standalone server on port 0 with a fresh database, plus a typed HTTP client.
 * Scenario helpers (`newUser`, `friends`) keep tests short:
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
import { randomBytes } from 'node:crypto';
import type { LoginVO, Result } from '@box-im/im-common';
import type { Logger } from 'pino';
import { startStandalone, type Running } from '../../src/standalone';
import { createTestDatabase, REDIS_URL, type Engine, type TestDatabase } from './engines';
import { TestSocket } from './ws-client';

export type ApiResult<T = any> = Result<T> & { status: number; headers: Headers };

export class ApiClient {
  constructor(
    readonly baseUrl: string,
    public accessToken?: string,
    private readonly lang = 'zh-CN',
  ) {}

  async request<T = any>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiResult<T>> {
    const init: RequestInit = {
      method,
      headers: {
        'accept-language': this.lang,
        ...(this.accessToken ? { accessToken: this.accessToken } : {}),
        ...(body !== undefined && !(body instanceof FormData) ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
    };
    if (body !== undefined)
      init.body = body instanceof FormData ? body : typeof body === 'string' ? body : JSON.stringify(body);
    const res = await fetch(`${this.baseUrl}/api${path}`, init);
    const json = (await res.json()) as Result<T>;
    return { ...json, status: res.status, headers: res.headers };
  }
  get<T = any>(path: string) {
    return this.request<T>('GET', path);
  }
  post<T = any>(path: string, body?: unknown) {
    return this.request<T>('POST', path, body);
  }
  put<T = any>(path: string, body?: unknown) {
    return this.request<T>('PUT', path, body);
  }
  delete<T = any>(path: string, body?: unknown) {
    return this.request<T>('DELETE', path, body);
  }
}

export interface TestUser {
  id: number;
  userName: string;
  nickName: string;
  password: string;
  tokens: LoginVO;
  api: ApiClient;
  /** A logged-in WebSocket of this user's terminal. */
  socket(devId?: string | number): Promise<TestSocket>;
  /** Log the same account in on another terminal (0 web, 1 app, 2 pc). */
  onTerminal(terminal: number): Promise<TestUser>;
}

export interface TestServer {
  url: string;
  running: Running;
  db: TestDatabase;
  anon: ApiClient;
  newUser(prefix?: string, terminal?: number): Promise<TestUser>;
  /** Make two users friends (a adds b). */
  befriend(a: TestUser, b: TestUser): Promise<void>;
  close(): Promise<void>;
}

export interface TestServerOptions {
  engine?: Engine;
  /** Use Redis as the bus (needs IM_TEST_REDIS_URL). */
  redis?: boolean;
  env?: Record<string, string>;
  /** Log here instead of nowhere (tests that check what is logged). */
  logger?: Logger;
}

let counter = 0;

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const db = await createTestDatabase(options.engine ?? 'sqlite');
  const dataDir = mkdtempSync(join(tmpdir(), 'im-data-'));
  const running = await startStandalone({
    port: 0,
    dataDir,
    env: {
      HOST: '127.0.0.1',
      DATABASE_URL: db.url,
      LOG_LEVEL: process.env['IM_TEST_LOG_LEVEL'] ?? 'silent',
      LOG_PRETTY: 'false',
      REDIS_URL: options.redis ? REDIS_URL : undefined,
      ...options.env,
    },
    ...(options.logger ? { logger: options.logger } : {}),
  });
  const anon = new ApiClient(running.url);

  async function loginAs(
    userName: string,
    password: string,
    terminal: number,
    base: Omit<TestUser, 'tokens' | 'api' | 'socket' | 'onTerminal'>,
  ): Promise<TestUser> {
    const login = await anon.post<LoginVO>('/login', { terminal, userName, password });
    if (login.code !== 200 || !login.data) throw new Error(`login failed: ${login.message}`);
    const api = new ApiClient(running.url, login.data.accessToken);
    const user: TestUser = {
      ...base,
      tokens: login.data,
      api,
      socket: (devId) => TestSocket.login(running.url, api.accessToken!, devId),
      onTerminal: (t) => loginAs(userName, password, t, base),
    };
    return user;
  }

  return {
    url: running.url,
    running,
    db,
    anon,
    async newUser(prefix = 'u', terminal = 0) {
      const userName = `${prefix}${++counter}${randomBytes(2).toString('hex')}`.slice(0, 20);
      const password = 'secret123';
      const reg = await anon.post('/register', { userName, password, nickName: userName });
      if (reg.code !== 200) throw new Error(`register failed: ${reg.message}`);
      const user = await loginAs(userName, password, terminal, {
        id: 0,
        userName,
        nickName: userName,
        password,
      });
      const self = await user.api.get<{ id: number }>('/user/self');
      user.id = self.data!.id;
      return user;
    },
    async befriend(a, b) {
      const res = await a.api.post(`/friend/add?friendId=${b.id}`);
      if (res.code !== 200) throw new Error(`friend add failed: ${res.message}`);
    },
    async close() {
      await running.close();
      await db.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
