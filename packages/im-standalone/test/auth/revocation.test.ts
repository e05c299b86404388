/**
 * Tokens the HTTP API has revoked must not work on the WebSocket either (issue 9, item 1), and
 * a refresh token is never an access token (item 7). Run in the standalone process on the
 * memory bus and on Redis, and as a cluster (platform + two push nodes on Redis), where the
 * push node that sees the stolen token is not the one holding the owner's socket.
 */
import { Cmd, CloseCode, MessageType, RedisKey } from '@box-im/im-common';
import type { AppContext } from '@box-im/im-platform';
import { adminConsole } from '@box-im/im-platform/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  boximToken,
  REDIS_URL,
  startCluster,
  startTestServer,
  TestSocket,
  type ApiClient,
  type TestUser,
} from '../../testing';

interface World {
  anon: ApiClient;
  url: string;
  ctx: AppContext;
  /** Base URLs of the push nodes: one in the standalone process, two in the cluster. */
  pushUrls: string[];
  newUser(prefix: string): Promise<TestUser>;
  befriend(a: TestUser, b: TestUser): Promise<void>;
  close(): Promise<void>;
}

async function standalone(redis: boolean, env: Record<string, string> = {}): Promise<World> {
  const t = await startTestServer({
    redis,
    env: { ...(redis ? { REDIS_KEY_PREFIX: `revoke${Date.now()}:` } : {}), ...env },
  });
  return { ...t, ctx: t.running.ctx, pushUrls: [t.url] };
}

const worlds: { name: string; start: () => Promise<World> }[] = [
  { name: 'standalone, memory bus', start: () => standalone(false) },
  ...(REDIS_URL
    ? [
        { name: 'standalone, Redis bus', start: () => standalone(true) },
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

/** Open a socket and send a login frame with `token`, as an attacker holding it would. */
async function tryLogin(url: string, token: string): Promise<TestSocket> {
  const socket = await TestSocket.open(url);
  socket.send({ cmd: Cmd.LOGIN, data: { accessToken: token, devId: 'attacker' } });
  return socket;
}

/** The login must be refused: closed with 4001, not a single frame. */
async function expectRefused(url: string, token: string): Promise<void> {
  const socket = await tryLogin(url, token);
  expect((await socket.closedWithin()).code).toBe(CloseCode.UNAUTHORIZED);
  expect(socket.frames).toEqual([]);
}

describe.each(worlds)('revoked tokens on the WebSocket: $name', ({ start }) => {
  let w: World;
  beforeAll(async () => {
    w = await start();
  });
  afterAll(() => w.close());
  const [first, last] = [() => w.pushUrls[0]!, () => w.pushUrls.at(-1)!];

  it('after modifyPwd the old access token is refused: no message reaches it, the new session is not kicked', async () => {
    const victim = await w.newUser('victim');
    const friend = await w.newUser('friend');
    await w.befriend(friend, victim);
    const stolen = victim.tokens.accessToken;
    const changed = await victim.api.put('/modifyPwd', {
      oldPassword: victim.password,
      newPassword: 'newpass1',
    });
    expect(changed.code).toBe(200);
    const login = await w.anon.post('/login', {
      terminal: 0,
      userName: victim.userName,
      password: 'newpass1',
    });
    const owner = await TestSocket.login(first(), login.data.accessToken, 'owner-device');

    const attacker = await tryLogin(last(), stolen);
    expect((await attacker.closedWithin()).code).toBe(CloseCode.UNAUTHORIZED);
    const sent = await friend.api.post('/message/private/send', {
      tmpId: 'after-change',
      recvId: victim.id,
      content: 'for the owner only',
      type: 0,
    });
    expect(sent.code).toBe(200);
    await owner.next((f) => f.cmd === Cmd.PRIVATE_MESSAGE && (f.data as { id: number }).id === sent.data.id);
    expect(attacker.frames).toEqual([]);
    expect(await owner.settle((f) => f.cmd === Cmd.FORCE_LOGOUT)).toEqual([]);
    owner.close();
  });

  it('a banned user’s sockets are closed after the ban notice, and its tokens cannot log in again', async () => {
    const u = await w.newUser('banned');
    const app = await u.onTerminal(1);
    const sockets = [
      await TestSocket.login(first(), u.tokens.accessToken),
      await TestSocket.login(last(), app.tokens.accessToken),
    ];
    await adminConsole(w.ctx).banUser(u.id, '发广告');
    for (const socket of sockets) {
      // The notice arrives first (the client shows the reason), then the node closes the socket,
      // whether or not the client reacts to the notice.
      await socket.nextMessage(Cmd.SYSTEM_MESSAGE, MessageType.USER_BANNED);
      expect((await socket.closedWithin()).code).toBe(CloseCode.INTENTIONAL);
    }
    await expectRefused(last(), u.tokens.accessToken);
    await expectRefused(first(), app.tokens.accessToken);
  });

  it('a deleted user (removed by a tool that then pushes the ban order) is disconnected and refused', async () => {
    const u = await w.newUser('deleted');
    const socket = await TestSocket.login(last(), u.tokens.accessToken);
    await w.ctx.db.db.deleteFrom('im_user').where('id', '=', u.id).execute();
    await w.ctx.bus.push(RedisKey.USER_BANNED_QUEUE, [JSON.stringify({ id: u.id, reason: '' })]);
    expect((await socket.closedWithin()).code).toBe(CloseCode.INTENTIONAL);
    await expectRefused(first(), u.tokens.accessToken);
    expect((await u.api.get('/user/self')).code).toBe(401);
  });

  it('a refresh token is not an access token, on HTTP and on the WebSocket', async () => {
    const u = await w.newUser('refresh');
    expect(await w.anon.as(u.tokens.refreshToken).get('/user/self')).toMatchObject({ code: 401 });
    await expectRefused(first(), u.tokens.refreshToken);
  });

  it('box-im’s tokens (no type, no issue time) work until the password changes, then nowhere', async () => {
    const u = await w.newUser('legacy');
    const legacy = await boximToken(u.id);
    expect((await w.anon.as(legacy).get('/user/self')).code).toBe(200);
    (await TestSocket.login(last(), legacy)).close();
    expect((await u.api.put('/modifyPwd', { oldPassword: u.password, newPassword: 'newpass1' })).code).toBe(
      200,
    );
    expect((await w.anon.as(legacy).get('/user/self')).code).toBe(401);
    await expectRefused(last(), legacy);
  });
});

describe('equal access and refresh secrets', () => {
  // Allowed outside production; only the `typ` claim then tells the two kinds apart.
  let w: World;
  beforeAll(async () => {
    w = await standalone(false, {
      JWT_ACCESS_SECRET: 'one-secret-for-both',
      JWT_REFRESH_SECRET: 'one-secret-for-both',
    });
  });
  afterAll(() => w.close());

  it('a refresh token still cannot act as an access token, nor an access token refresh', async () => {
    const u = await w.newUser('same');
    expect((await u.api.get('/user/self')).code).toBe(200);
    expect((await w.anon.as(u.tokens.refreshToken).get('/user/self')).code).toBe(401);
    await expectRefused(w.url, u.tokens.refreshToken);
    const swapped = await w.anon.request('PUT', '/refreshToken', undefined, {
      refreshToken: u.tokens.accessToken,
    });
    expect(swapped.code).toBe(500);
    // Untyped (box-im) tokens are ambiguous here and refused by the platform.
    const legacy = await boximToken(u.id, { secret: 'one-secret-for-both' });
    expect((await w.anon.as(legacy).get('/user/self')).code).toBe(401);
  });
});
