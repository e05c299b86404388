/**
 * The deployment of deploy/ on loopback: Debian's nginx in front of 2 platforms and 2 push
 * nodes (compiled, plain node) on Redis and MariaDB, then PostgreSQL. Every request and socket
 * of the test goes through nginx.
 * - 200 users spread over the nodes exchange private and group messages: each arrives exactly
 *   once; the web client loads and an uploaded file's URL downloads through nginx;
 * - faults (on the first engine, to keep the file under 3 minutes): kill -9 of a push node
 *   during traffic, kill -9 of a platform during sends, a Redis restart during traffic, the
 *   database unreachable for 10 s. Every send that got a success is delivered (live or by the
 *   offline pull), failures are answered as failures, no process crashes, service resumes.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { createTestDatabase, REDIS_URL, type Engine, type TestDatabase } from '../../testing';
import {
  ensureBuilt,
  freePort,
  kill9,
  NGINX,
  REDIS_SERVER,
  startEntry,
  startNginx,
  startRedis,
  stop,
  tcpRelay,
  waitFor,
  waitReady,
  type Proc,
  type Relay,
} from './nginx-cluster';
import { Traffic } from './nginx-traffic';

const engines = (['mysql', 'postgres'] as Engine[]).filter((e) =>
  e === 'mysql' ? process.env['IM_TEST_MYSQL_URL'] : process.env['IM_TEST_POSTGRES_URL'],
);
const missing = !existsSync(NGINX)
  ? `nginx not found at ${NGINX} (apt-get install nginx)`
  : !existsSync(REDIS_SERVER)
    ? `redis-server not found at ${REDIS_SERVER}`
    : !REDIS_URL || engines.length === 0
      ? 'needs IM_TEST_REDIS_URL and IM_TEST_MYSQL_URL or IM_TEST_POSTGRES_URL'
      : undefined;
if (missing) console.warn(`[nginx.test] skipped: ${missing}`);

const USERS = 200;

describe.skipIf(missing !== undefined).each(engines.length > 0 ? engines : (['mysql'] as Engine[]))(
  'nginx in front of 2 platforms and 2 push nodes on Redis + %s',
  (engine) => {
    const faults = engine === engines[0];
    let db: TestDatabase;
    let redis: Proc;
    let relay: Relay;
    let nginx: Proc;
    const platforms: Proc[] = [];
    const pushes: Proc[] = [];
    let dir: string;
    let base = '';
    let t: Traffic;
    let redisUrl = '';

    beforeAll(async () => {
      ensureBuilt();
      dir = mkdtempSync(join(tmpdir(), 'im-nginx-'));
      db = await createTestDatabase(engine);
      redis = await startRedis(await freePort());
      redisUrl = `redis://127.0.0.1:${redis.port}`;
      const dbUrl = new URL(db.url);
      relay = await tcpRelay(dbUrl.hostname, Number(dbUrl.port));
      dbUrl.host = `127.0.0.1:${relay.port}`;
      const pushEnv = {
        REDIS_URL: redisUrl,
        WS_IDLE_TIMEOUT_SECONDS: '600',
        ONLINE_TTL_SECONDS: '8',
        NODE_ALIVE_TTL_SECONDS: '3',
      };
      for (let i = 0; i < 2; i++)
        pushes.push(startEntry(`push-${i}`, 'packages/im-server/dist/main.js', await freePort(), pushEnv));
      const platformEnv = {
        REDIS_URL: redisUrl,
        DATABASE_URL: dbUrl.toString(),
        DATA_DIR: join(dir, 'data'),
      };
      // One at a time: the first migrates the fresh database.
      for (let i = 0; i < 2; i++) {
        const p = startEntry(
          `platform-${i}`,
          'packages/im-platform/dist/bin/platform.js',
          await freePort(),
          platformEnv,
        );
        platforms.push(p);
        await waitReady(p);
      }
      await Promise.all(pushes.map((p) => waitReady(p)));
      const port = await freePort();
      nginx = await startNginx(
        join(dir, 'nginx'),
        port,
        platforms.map((p) => p.port),
        pushes.map((p) => p.port),
      );
      base = nginx.url;
      t = new Traffic(base);
      await t.setUp(USERS);
    }, 150_000);

    afterAll(async () => {
      t?.closeAll();
      for (const p of [nginx, ...platforms, ...pushes]) if (p) await stop(p);
      if (redis) await kill9(redis);
      await relay?.close();
      await db?.drop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    }, 30_000);

    const dumpOnFailure = () =>
      onTestFailed(() => {
        for (const p of [...platforms, ...pushes, nginx])
          console.warn(
            `--- ${p.name} (errors)\n${p.output
              .join('')
              .split('\n')
              .filter((l) => !l.includes('"level":40'))
              .join('\n')
              .slice(-3000)}`,
          );
      });

    const routeCounts = async () => {
      const client = createClient({ url: redisUrl });
      await client.connect();
      const counts = new Map<string, number>();
      for await (const keys of client.scanIterator({ MATCH: 'im:user:server_id:*', COUNT: 500 })) {
        for (const value of keys.length ? await client.mGet(keys) : []) {
          if (value) counts.set(value, (counts.get(value) ?? 0) + 1);
        }
      }
      await client.close();
      return counts;
    };
    const serverIdOf = async (p: Proc) =>
      String(((await (await fetch(`${p.url}/health/live`)).json()) as { serverId: number }).serverId);

    it('users spread over both push nodes exchange private and group messages, each exactly once', async () => {
      const counts = await routeCounts();
      expect([...counts.values()].reduce((a, b) => a + b, 0)).toBe(USERS);
      for (const p of pushes) expect(counts.get(await serverIdOf(p)) ?? 0).toBeGreaterThan(USERS / 5);

      const round = await t.sendRound('r1');
      expect(round.failed).toBe(0);
      await t.expectDelivered(round, { live: true });
    }, 60_000);

    it('serves the web client and a file URL received from an upload through nginx', async () => {
      const index = await fetch(`${base}/`);
      expect(index.status).toBe(200);
      const html = await index.text();
      expect(html).toContain('<div id="app"');
      const asset = /(?:src|href)="\.?\/?(assets\/[^"]+\.js)"/.exec(html)?.[1];
      expect(asset, 'the built index references its script').toBeDefined();
      expect((await fetch(`${base}/${asset}`)).status).toBe(200);

      const owner = t.users[0]!;
      const form = new FormData();
      const bytes = `file through nginx ${Date.now()}`;
      form.append('file', new Blob([bytes], { type: 'text/plain' }), 'note.txt');
      const upload = await owner.api.post<string>('/file/upload', form);
      expect(upload.code).toBe(200);
      const url = upload.data!;
      expect(url.startsWith(`${base}/files/`), url).toBe(true);
      const download = await fetch(url);
      expect(download.status).toBe(200);
      expect(await download.text()).toBe(bytes);
    }, 30_000);

    it.runIf(faults)(
      'kill -9 of a push node during traffic: clients reconnect through nginx and have every message once',
      async () => {
        dumpOnFailure();
        const dead = pushes[0]!;
        const deadId = await serverIdOf(dead);
        const queue = `im:message:private:${deadId}`;
        const sending = t.sendRound('k1', { concurrency: 8 });
        await new Promise((r) => setTimeout(r, 300));
        await kill9(dead);
        const round = await sending;
        expect(round.failed).toBe(0); // the platforms were up: every send was accepted
        await t.reconnectDropped(); // through nginx, to the push node left
        await t.expectDelivered(round, { live: false }); // live frames + the offline pull
        // Routes naming the dead node are gone (re-claimed by the reconnections, or removed
        // by senders once its liveness key expired) and its queue stopped growing.
        await waitFor('dead routes gone', async () => !(await routeCounts()).has(deadId), 12_000);
        const client = createClient({ url: redisUrl });
        await client.connect();
        const length = await client.lLen(queue);
        const after = await t.sendRound('k2');
        await t.expectDelivered(after, { live: true });
        expect(await client.lLen(queue)).toBe(length);
        await client.close();
      },
      90_000,
    );

    it.runIf(faults)(
      'kill -9 of a platform during sends: every success is delivered, failures say so',
      async () => {
        const sending = t.sendRound('p1', { concurrency: 8 });
        await new Promise((r) => setTimeout(r, 200));
        await kill9(platforms[1]!);
        const round = await sending;
        expect(round.ok.length).toBeGreaterThan(0);
        for (const failure of round.failures) expect(failure).toMatch(/^(HTTP|code)/);
        await t.expectDelivered(round, { live: false });
      },
      60_000,
    );

    it.runIf(faults)(
      'a Redis restart during traffic: no crash, resumes, nothing accepted lost',
      async () => {
        const sending = t.sendRound('x1', { concurrency: 8 });
        await new Promise((r) => setTimeout(r, 200));
        await kill9(redis);
        await new Promise((r) => setTimeout(r, 1000));
        redis = await startRedis(redis.port);
        const round = await sending;
        await waitFor(
          'push nodes ready again',
          async () => (await fetch(`${pushes[1]!.url}/health/ready`)).ok,
          15_000,
        );
        for (const p of [platforms[0]!, pushes[1]!, nginx]) expect(p.alive, p.name).toBe(true);
        await t.reconnectDropped();
        await t.expectDelivered(round, { live: false });
        // Heartbeats write the routes again: live pushes resume by themselves.
        await waitFor(
          'routes back',
          async () => [...(await routeCounts()).values()].reduce((a, b) => a + b, 0) >= USERS,
          15_000,
        );
        const after = await t.sendRound('x2');
        expect(after.failed).toBe(0);
        await t.expectDelivered(after, { live: true });
      },
      90_000,
    );

    it.runIf(faults)(
      'the database unreachable for 10 s: clear errors, no crash, resumes, nothing accepted lost',
      async () => {
        relay.cut();
        const down = await t.users[1]!.api.post(
          '/message/private/send',
          t.privateBody(t.users[0]!, 'db-down'),
        );
        expect(down.code).not.toBe(200);
        expect(down.message).toBeTruthy();
        const during = t.sendRound('d1', { concurrency: 4 });
        await new Promise((r) => setTimeout(r, 10_000));
        await relay.restore();
        const round = await during;
        for (const p of [platforms[0]!, pushes[1]!, nginx]) expect(p.alive, p.name).toBe(true);
        await waitFor(
          'platform ready again',
          async () => (await fetch(`${platforms[0]!.url}/health/ready`)).ok,
          20_000,
        );
        await t.expectDelivered(round, { live: false });
        const after = await t.sendRound('d2');
        expect(after.failed).toBe(0);
        await t.expectDelivered(after, { live: true });
      },
      90_000,
    );
  },
);
