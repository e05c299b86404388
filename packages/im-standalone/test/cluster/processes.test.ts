/**
 * The cluster mode as deployed: two `npm run start:server` push nodes and two
 * `npm run start:platform` processes, all separate Node processes on one Redis, on MariaDB
 * and on PostgreSQL. A user connected to node A receives a push that another user's
 * request made the platform route through Redis; the routing key goes with the socket.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApiClient,
  createTestDatabase,
  type Engine,
  REDIS_URL,
  type TestDatabase,
  TestSocket,
} from '../../testing';

const ROOT = resolve(import.meta.dirname, '../../../..');
const engines = (['mysql', 'postgres'] as Engine[]).filter((e) =>
  e === 'mysql' ? process.env['IM_TEST_MYSQL_URL'] : process.env['IM_TEST_POSTGRES_URL'],
);

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => ok(port));
    });
  });
}

interface Proc {
  child: ChildProcess;
  output: string[];
}

function startProcess(entry: string, env: Record<string, string>): Proc {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', resolve(ROOT, entry)], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'info', LOG_PRETTY: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout?.on('data', (d: Buffer) => output.push(d.toString()));
  child.stderr?.on('data', (d: Buffer) => output.push(d.toString()));
  return { child, output };
}

async function waitHttp(url: string, proc: Proc, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null) throw new Error(`process exited: ${proc.output.join('')}`);
    try {
      const res = await fetch(url);
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} not ready: ${proc.output.join('')}`);
}

async function stop(proc: Proc): Promise<number | null> {
  if (proc.child.exitCode !== null) return proc.child.exitCode;
  const exited = new Promise<number | null>((r) => proc.child.once('exit', (code) => r(code)));
  proc.child.kill('SIGTERM');
  return exited;
}

describe
  .skipIf(!REDIS_URL || engines.length === 0)
  .each(engines.length > 0 ? engines : (['mysql'] as Engine[]))(
  'cluster of processes on Redis + %s',
  (engine) => {
    let db: TestDatabase;
    const procs: Proc[] = [];
    let platformUrl = '';
    let secondPlatformUrl = '';
    const chief = `chief${randomBytes(3).toString('hex')}`;
    const serverUrls: string[] = [];
    const prefix = `t${randomBytes(4).toString('hex')}:`;
    let redis: ReturnType<typeof createClient>;

    beforeAll(async () => {
      db = await createTestDatabase(engine);
      const common = { REDIS_URL: REDIS_URL!, REDIS_KEY_PREFIX: prefix, HOST: '127.0.0.1' };
      const platformPort = await freePort();
      const platform = startProcess('packages/im-platform/src/bin/platform.ts', {
        ...common,
        PORT: String(platformPort),
        DATABASE_URL: db.url,
      });
      procs.push(platform);
      platformUrl = `http://127.0.0.1:${platformPort}`;
      for (let i = 0; i < 2; i++) {
        const port = await freePort();
        const server = startProcess('packages/im-server/src/main.ts', { ...common, PORT: String(port) });
        procs.push(server);
        serverUrls.push(`http://127.0.0.1:${port}`);
        await waitHttp(`http://127.0.0.1:${port}/health`, server);
      }
      await waitHttp(`${platformUrl}/api/doc`, platform);
      // A second platform process on the same database and Redis, started once the first has
      // migrated; it makes an administrator of an account registered on the first (ADMIN_USERS).
      expect(
        (await new ApiClient(platformUrl).post('/register', { userName: chief, password: 'secret1' })).code,
      ).toBe(200);
      const secondPort = await freePort();
      const second = startProcess('packages/im-platform/src/bin/platform.ts', {
        ...common,
        PORT: String(secondPort),
        DATABASE_URL: db.url,
        ADMIN_USERS: chief,
      });
      procs.push(second);
      secondPlatformUrl = `http://127.0.0.1:${secondPort}`;
      await waitHttp(`${secondPlatformUrl}/api/doc`, second);
      redis = createClient({ url: REDIS_URL });
      await redis.connect();
    }, 90_000);

    afterAll(async () => {
      await redis?.close();
      for (const p of procs) await stop(p);
      await db?.drop();
    });

    async function account(name: string, terminal = 0) {
      const anon = new ApiClient(platformUrl);
      const userName = `${name}${randomBytes(3).toString('hex')}`;
      expect((await anon.post('/register', { userName, password: 'secret1' })).code).toBe(200);
      const login = await anon.post('/login', { terminal, userName, password: 'secret1' });
      const api = new ApiClient(platformUrl, login.data.accessToken);
      const self = await api.get('/user/self');
      return { id: self.data.id as number, api, token: login.data.accessToken as string };
    }

    it('routes a private message from the platform process to the push node holding the receiver', async () => {
      const alice = await account('alice');
      const bob = await account('bob');
      const onA = await TestSocket.login(serverUrls[0]!, bob.token);
      const aliceWs = await TestSocket.login(serverUrls[1]!, alice.token);
      const routeKey = `${prefix}im:user:server_id:${bob.id}:0`;
      const serverIdA = await redis.get(routeKey);
      expect(serverIdA).not.toBeNull();
      expect(await redis.get(`${prefix}im:user:server_id:${alice.id}:0`)).not.toBe(serverIdA);

      expect((await alice.api.post(`/friend/add?friendId=${bob.id}`)).code).toBe(200);
      const sent = await alice.api.post('/message/private/send', {
        tmpId: 't1',
        recvId: bob.id,
        content: 'hello over redis',
        type: 0,
      });
      expect(sent.code).toBe(200);
      const frame = await onA.next(
        (f) => f.cmd === 3 && (f.data as { content?: string }).content === 'hello over redis',
        10_000,
      );
      expect(frame.data).toMatchObject({ id: sent.data.id, sendId: alice.id, recvId: bob.id, type: 0 });

      const online = await alice.api.get(`/user/terminal/online?userIds=${bob.id}`);
      expect(online.data).toEqual([{ userId: bob.id, terminals: [0] }]);

      onA.close();
      await onA.closed;
      const deadline = Date.now() + 5000;
      while ((await redis.get(routeKey)) !== null && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
      expect(await redis.get(routeKey)).toBeNull();
      aliceWs.close();
    }, 60_000);

    it('throttles typing across the two platform processes: the second signal within 3 s is dropped', async () => {
      const alice = await account('typist');
      const bob = await account('reader');
      expect((await alice.api.post(`/friend/add?friendId=${bob.id}`)).code).toBe(200);
      const bobWs = await TestSocket.login(serverUrls[0]!, bob.token);
      const isTyping = (f: { cmd: number; data: unknown }) =>
        f.cmd === 3 && (f.data as { type?: number }).type === 61;
      expect((await alice.api.post(`/message/private/typing?recvId=${bob.id}`)).code).toBe(200);
      expect((await bobWs.next(isTyping, 10_000)).data).toMatchObject({ sendId: alice.id, recvId: bob.id });
      const viaSecond = new ApiClient(secondPlatformUrl, alice.token);
      expect((await viaSecond.post(`/message/private/typing?recvId=${bob.id}`)).code).toBe(200);
      expect(await bobWs.settle(isTyping, 1000)).toEqual([]);
      bobWs.close();
    }, 60_000);

    it('a sensitive word an admin adds on one platform process filters on the other within a second', async () => {
      const anonSecond = new ApiClient(secondPlatformUrl);
      const login = await anonSecond.post('/login', { terminal: 0, userName: chief, password: 'secret1' });
      const admin = new ApiClient(secondPlatformUrl, login.data.accessToken);
      const speaker = await account('speaker'); // on the first platform
      const word = `禁${randomBytes(2).toString('hex')}语`;
      expect((await admin.post('/admin/words', { content: word })).code).toBe(200);
      const added = Date.now();
      let refused = '';
      while (Date.now() - added < 1000 && !refused) {
        const res = await speaker.api.put('/user/update', { id: speaker.id, nickName: `我${word}` });
        if (res.code !== 200) refused = res.message;
      }
      expect(refused).toBe('昵称包含敏感字符');
    }, 60_000);

    it('stops every process gracefully on SIGTERM', async () => {
      const codes = [];
      for (const p of procs.splice(0)) codes.push(await stop(p));
      expect(codes).toEqual([0, 0, 0, 0]);
    }, 30_000);
  },
);
