/**
 * A ban through the administration API (issue 15) on real sockets: every terminal of the
 * user gets the ban notice with the reason and is closed, the old tokens are refused on
 * HTTP and the WebSocket at once, and login is refused with the reason. In the standalone
 * process (memory bus, Redis) and in a cluster where the push nodes are separate.
 */
import { Cmd, CloseCode, MessageType } from '@box-im/im-common';
import type { AppContext } from '@box-im/im-platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  REDIS_URL,
  startCluster,
  startTestServer,
  TestSocket,
  type ApiClient,
  type TestUser,
} from '../../testing';

interface World {
  anon: ApiClient;
  ctx: AppContext;
  pushUrls: string[];
  newUser(prefix: string): Promise<TestUser>;
  close(): Promise<void>;
}

const worlds: { name: string; start: () => Promise<World> }[] = [
  {
    name: 'standalone, memory bus',
    start: async () => {
      const t = await startTestServer({});
      return { ...t, ctx: t.running.ctx, pushUrls: [t.url] };
    },
  },
  ...(REDIS_URL
    ? [
        {
          name: 'cluster on Redis',
          start: async (): Promise<World> => {
            const c = await startCluster({ engine: 'sqlite', nodes: 2 });
            return { ...c, pushUrls: c.nodes.map((n) => n.url) };
          },
        },
      ]
    : []),
];

describe.each(worlds)('admin ban on real sockets: $name', ({ start }) => {
  let w: World;
  let boss: TestUser;
  beforeAll(async () => {
    w = await start();
    boss = await w.newUser('boss');
    await w.ctx.services.admin.setAdminByName(boss.userName, true, 'test');
  });
  afterAll(() => w.close());

  it('closes every terminal after the ban notice; old tokens and logins are refused', async () => {
    const u = await w.newUser('banned');
    const app = await u.onTerminal(1);
    const sockets = [
      await TestSocket.login(w.pushUrls[0]!, u.tokens.accessToken),
      await TestSocket.login(w.pushUrls.at(-1)!, app.tokens.accessToken),
    ];
    const ban = await boss.api.post('/admin/user/ban', { userId: u.id, reason: '散布谣言' });
    expect(ban.code).toBe(200);
    // Refused at once on HTTP, even before the notice went out.
    expect((await u.api.get('/user/self')).message).toContain('散布谣言');
    for (const socket of sockets) {
      const notice = await socket.nextMessage(Cmd.SYSTEM_MESSAGE, MessageType.USER_BANNED);
      expect(notice.data).toMatchObject({ content: '散布谣言' });
      expect((await socket.closedWithin()).code).toBe(CloseCode.INTENTIONAL);
    }
    for (const [url, token] of [
      [w.pushUrls[0]!, app.tokens.accessToken],
      [w.pushUrls.at(-1)!, u.tokens.accessToken],
    ] as const) {
      const attempt = await TestSocket.open(url);
      attempt.send({ cmd: Cmd.LOGIN, data: { accessToken: token, devId: 'again' } });
      expect((await attempt.closedWithin()).code).toBe(CloseCode.UNAUTHORIZED);
      expect(attempt.frames).toEqual([]);
    }
    const login = await w.anon.post('/login', { terminal: 0, userName: u.userName, password: u.password });
    expect(login.code).toBe(500);
    expect(login.message).toBe("您的账号因'散布谣言'已被管理员封禁,请联系客服!");

    // Unbanned: a fresh login works and its socket stays open; the old tokens stay dead.
    expect((await boss.api.post('/admin/user/unban', { userId: u.id })).code).toBe(200);
    const back = await w.anon.post('/login', { terminal: 0, userName: u.userName, password: u.password });
    expect(back.code).toBe(200);
    const fresh = await TestSocket.login(w.pushUrls[0]!, back.data.accessToken);
    expect((await w.anon.as(back.data.accessToken).get('/user/self')).code).toBe(200);
    expect((await u.api.get('/user/self')).code).toBe(401);
    fresh.close();
  });
});
