/**
 * The user facts request authentication checks are remembered (no SQL per request) and kept
 * correct: forgotten on every change, in this process at once and in the others by a bus
 * notice; bounded in size and age. Run on a real database, and across two platform processes
 * sharing one database and one Redis.
 */
import { until } from '@box-im/im-process/testing';
import { createLogger } from '@box-im/im-process';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app';
import type { Clock } from '../../src/clock';
import { createContext, type AppContext } from '../../src/context';
import { AuthUserCache, type AuthUserCacheOptions } from '../../src/services/auth-user-cache';
import {
  ApiClient,
  injectFetch,
  REDIS_URL,
  startTestApp,
  type TestApp,
  type TestUser,
} from '@box-im/im-platform/testing';

/** box-im's answer to a banned user: code 500 with the reason in the message. */
const BANNED = 500;

describe('AuthUserCache on SQLite and the memory bus', () => {
  let t: TestApp;
  let reads: number[];
  const caches: AuthUserCache[] = [];
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await Promise.all(caches.map((c) => c.stop()));
    await t.close();
  });

  /** A cache as one platform process has it; `reads` lists the ids read from the database. */
  async function cache(options: AuthUserCacheOptions = {}, clock: Clock = t.clock, start = true) {
    const users = t.running.ctx.repos.users;
    const c = new AuthUserCache(
      {
        bus: t.running.ctx.bus,
        clock,
        users: {
          findById: (id) => {
            reads.push(id);
            return users.findById(id);
          },
        },
      },
      options,
    );
    caches.push(c);
    if (start) await c.start();
    return c;
  }
  const fresh = () => {
    reads = [];
  };

  it('reads a user once, answers from memory until maxAgeMs on the injected clock, then reads again', async () => {
    fresh();
    // A clock that moves only when told (TestClock runs with real time).
    let nowMs = Date.now();
    const clock = { now: () => new Date(nowMs), advance: (ms: number) => (nowMs += ms) };
    const c = await cache({ maxAgeMs: 1000 }, clock);
    const u = await t.newUser('cached');
    const first = await c.facts(u.id);
    expect(first).toMatchObject({ banned: false, reason: '' });
    expect(first!.passwordVersion).toMatch(/^[\w-]{12}$/);
    expect(await c.facts(u.id)).toEqual(first);
    clock.advance(999);
    expect(await c.facts(u.id)).toEqual(first);
    expect(reads).toEqual([u.id]);
    clock.advance(1);
    expect(await c.facts(u.id)).toEqual(first);
    expect(reads).toEqual([u.id, u.id]);
    // No such user: remembered as such too.
    expect(await c.facts(987_654)).toBeUndefined();
    expect(await c.facts(987_654)).toBeUndefined();
    expect(reads).toEqual([u.id, u.id, 987_654]);
  });

  it('a change in one process is forgotten there at once and in the others on the notice', async () => {
    fresh();
    const [here, there] = [await cache(), await cache()];
    const u = await t.newUser('changed');
    await here.facts(u.id);
    await there.facts(u.id);
    expect(reads).toEqual([u.id, u.id]);
    await t.running.ctx.repos.admin.setUserBan(u.id, true, 'spam');
    await here.changed(u.id);
    expect(await here.facts(u.id)).toEqual(expect.objectContaining({ banned: true, reason: 'spam' }));
    await until(async () => (await there.facts(u.id))?.banned === true, 2000);
    expect(reads).toEqual([u.id, u.id, u.id, u.id]);
  });

  it('keeps at most maxEntries users, dropping the longest remembered', async () => {
    fresh();
    const c = await cache({ maxEntries: 3 });
    const users = await Promise.all([1, 2, 3, 4, 5].map((i) => t.newUser(`bound${i}`)));
    for (const u of users) await c.facts(u.id);
    expect(c.size).toBe(3);
    await c.facts(users[4]!.id); // still remembered
    await c.facts(users[0]!.id); // dropped: read again
    expect(reads).toEqual([...users.map((u) => u.id), users[0]!.id]);
    expect(c.size).toBe(3);
  });

  it('a read that began before a change is not remembered', async () => {
    fresh();
    const c = await cache();
    const u = await t.newUser('race');
    const pending = c.facts(u.id);
    await c.changed(u.id);
    await pending;
    await c.facts(u.id);
    expect(reads).toEqual([u.id, u.id]);
  });

  it('remembers nothing while the notices are not heard (not started, or stopped)', async () => {
    fresh();
    const c = await cache({}, t.clock, false);
    const u = await t.newUser('unheard');
    await c.facts(u.id);
    await c.facts(u.id);
    expect(c.caching).toBe(false);
    await c.start();
    await c.facts(u.id);
    await c.facts(u.id);
    await c.stop();
    await c.facts(u.id);
    expect(c.size).toBe(0);
    expect(reads).toEqual([u.id, u.id, u.id, u.id]);
  });
});

describe.skipIf(!REDIS_URL)('user facts across two platform processes on one Redis', () => {
  let a: TestApp;
  let b: { ctx: AppContext; app: FastifyInstance; anon: ApiClient };
  let boss: TestUser;
  beforeAll(async () => {
    a = await startTestApp({ redis: true, listen: true });
    // Node B: the same configuration (database file, Redis and key prefix), its own bus connection.
    const ctx = await createContext(a.running.ctx.config, createLogger({ name: 'b', level: 'silent' }), {
      clock: a.clock,
    });
    const app = await buildApp(ctx);
    b = { ctx, app, anon: new ApiClient('http://inject.test', undefined, 'zh-CN', injectFetch(app)) };
    boss = await a.newUser('boss');
    await a.running.ctx.services.admin.setAdminByName(boss.userName, true, 'test');
  });
  afterAll(async () => {
    await b?.app.close();
    await b?.ctx.close();
    await a?.close();
  });

  const onB = (token: string) => b.anon.as(token);
  const login = (api: ApiClient, u: TestUser) =>
    api.post<{ accessToken: string }>('/login', { terminal: 0, userName: u.userName, password: u.password });

  it('B remembers the user after its first request (notices heard)', async () => {
    const u = await a.newUser('quiet');
    expect((await onB(u.tokens.accessToken).get('/user/self')).code).toBe(200);
    expect(b.ctx.services.authUsers.caching).toBe(true);
    expect(b.ctx.services.authUsers.size).toBeGreaterThan(0);
  });

  it('a ban on A is refused on B at once; the unban on A lets a new login through on B at once', async () => {
    const u = await a.newUser('banned');
    const self = () => onB(u.tokens.accessToken).get('/user/self');
    expect((await self()).code).toBe(200); // B remembers the user, not banned
    expect((await boss.api.post('/admin/user/ban', { userId: u.id, reason: 'flood' })).code).toBe(200);
    const refused = await self();
    expect(refused.code).toBe(BANNED);
    expect(refused.message).toContain('flood');
    // B now remembers the ban; lifting it on A must reach B too.
    expect((await boss.api.post('/admin/user/unban', { userId: u.id })).code).toBe(200);
    const again = await login(b.anon, u);
    expect(again.code).toBe(200);
    expect((await onB(again.data!.accessToken).get('/user/self')).code).toBe(200);
    // The tokens from before the ban stay revoked.
    expect((await self()).code).toBe(401);
  });

  it('a password change on A revokes the old token on B at once; the new one works there', async () => {
    const u = await a.newUser('pwd');
    const old = onB(u.tokens.accessToken);
    expect((await old.get('/user/self')).code).toBe(200);
    const changed = await u.api.put('/modifyPwd', { oldPassword: u.password, newPassword: 'another1' });
    expect(changed.code).toBe(200);
    expect((await old.get('/user/self')).code).toBe(401);
    const again = await login(b.anon, { ...u, password: 'another1' });
    expect(again.code).toBe(200);
    expect((await onB(again.data!.accessToken).get('/user/self')).code).toBe(200);
  });

  it('a friend deleted on A cannot be written to on B at once; added again on A, B lets it through', async () => {
    const [u, v] = [await a.newUser('fa'), await a.newUser('fb')];
    await a.befriend(u, v);
    const send = (content: string) =>
      onB(u.tokens.accessToken).post('/message/private/send', { recvId: v.id, content, type: 0 });
    expect((await send('one')).code).toBe(200); // B remembers the friendship
    expect(b.ctx.services.friendships.caching).toBe(true);
    expect((await v.api.delete(`/friend/delete/${u.id}`)).code).toBe(200);
    const refused = await send('two');
    expect(refused.code).toBe(500);
    expect(refused.message).toBe('您已不是对方好友，无法发送消息');
    await a.befriend(v, u);
    expect((await send('three')).code).toBe(200);
  });

  it("box-im's admin console (database + ban queue) bans on both nodes once the order is consumed", async () => {
    const u = await a.newUser('console');
    const self = () => onB(u.tokens.accessToken).get('/user/self');
    expect((await self()).code).toBe(200);
    await a.admin.banUser(u.id, 'console');
    await until(async () => (await self()).message.includes('console'), 5000);
    expect((await self()).code).toBe(BANNED);
  });
});
