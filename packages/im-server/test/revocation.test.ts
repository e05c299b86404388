/**
 * Tokens the platform revoked (password change, ban, deletion) through the per-user marker on
 * the bus, and the claims every verifier checks (`aud`, `typ`).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { TokenRevocations } from '@box-im/im-bus';
import { CloseCode, FORCE_LOGOUT_TEXT, MessageType } from '@box-im/im-common';
import { busWorlds, signToken, until, useNodes, type TestNode } from './support';

const HOUR_MS = 3_600_000;

describe.each(busWorlds())('revoked and mistyped tokens on the $name bus', ({ create }) => {
  const f = useNodes(create, 1);
  let node: TestNode;
  let revocations: TokenRevocations;
  beforeEach(() => {
    node = f.nodes[0]!;
    revocations = new TokenRevocations(f.bus);
  });
  const { route } = f;
  const connect = async (token: string, devId: string) => {
    const client = await f.open(node);
    await client.login(token, devId);
    return client;
  };
  /** Send a login frame that must be refused: closed with 4001 and no frame at all. */
  const expectRefused = async (token: string) => {
    const client = await f.open(node);
    client.send({ cmd: 0, data: { accessToken: token, devId: 'attacker' } });
    expect((await client.waitForClose()).code).toBe(CloseCode.UNAUTHORIZED);
    expect(client.received).toEqual([]);
  };

  describe('at login', () => {
    it('refuses a token issued before the user’s marker, without kicking the newer session', async () => {
      const now = Date.now();
      const stolen = await signToken(1, 0, { type: 'access', issuedAtMs: now - 60_000 });
      await revocations.revoke(1, now - 1000, HOUR_MS); // e.g. the password changed
      const owner = await connect(await signToken(1, 0, { type: 'access', issuedAtMs: now }), 'owner');

      await expectRefused(stolen);
      expect(await route(1, 0)).toBe(String(node.server.serverId));
      await f.im.sendPrivateMessage({ sender: { id: 2, terminal: 0 }, recvId: 1, data: 'for the owner' });
      expect(await owner.nextFrame()).toEqual({ cmd: 3, data: 'for the owner' });
      expect(owner.isOpen).toBe(true);
      expect(owner.received.filter((f) => f.cmd === 2)).toEqual([]);
    });

    it('refuses box-im tokens (no issue time) once the user has a marker; other users are untouched', async () => {
      await revocations.revoke(3, Date.now(), HOUR_MS);
      await expectRefused(await signToken(3, 1));
      await connect(await signToken(4, 1), 'other'); // no marker for user 4
    });

    it('refuses a refresh token and a token whose audience is another user', async () => {
      await expectRefused(await signToken(5, 0, { type: 'refresh', issuedAtMs: Date.now() }));
      await expectRefused(await signToken(5, 0, { audience: '6' }));
      await expectRefused(await signToken(5, 0, { type: 'something-else' }));
      // The platform's own access tokens and box-im's untyped ones are accepted.
      await connect(await signToken(5, 0, { type: 'access', issuedAtMs: Date.now() }), 'ours');
      await connect(await signToken(5, 1), 'box-im');
    });
  });

  describe('open sockets', () => {
    it('a force-logout after a revocation closes the sockets of revoked tokens only', async () => {
      const before = Date.now() - 60_000;
      const stale = await connect(await signToken(7, 0, { issuedAtMs: before }), 'stale');
      const web = await connect(await signToken(7, 1, { issuedAtMs: before }), 'stale-app');
      await revocations.revoke(7, Date.now() - 1000, HOUR_MS);
      const fresh = await connect(await signToken(7, 2, { issuedAtMs: Date.now() }), 'fresh');
      await f.im.forceLogout(7);
      for (const client of [stale, web]) {
        expect(await client.nextFrame()).toEqual({ cmd: 2, data: FORCE_LOGOUT_TEXT });
        expect((await client.waitForClose()).code).toBe(CloseCode.INTENTIONAL);
      }
      expect(fresh.isOpen).toBe(true);
      expect(await fresh.nextFrame(300).catch(() => null)).toBeNull();
    });

    it('a ban notice reaches the socket, which is then closed (3000) even if the client ignores it', async () => {
      const banned = await connect(await signToken(8, 0, { issuedAtMs: Date.now() - 1000 }), 'b');
      await revocations.revoke(8, Date.now(), HOUR_MS);
      const notice = { type: MessageType.USER_BANNED, content: 'spam', sendTime: Date.now() };
      await f.im.sendSystemMessage({ recvIds: [8], sendResult: false, data: notice });
      expect(await banned.nextFrame()).toEqual({ cmd: 5, data: notice });
      expect((await banned.waitForClose()).code).toBe(CloseCode.INTENTIONAL);
      await until(async () => (await route(8, 0)) === null);
    });

    it('a ban notice without a marker (a platform that writes none) closes too; a login after the marker stays', async () => {
      const legacy = await connect(await signToken(9, 0), 'legacy');
      const notice = { type: MessageType.USER_BANNED, content: 'x', sendTime: 1 };
      await f.im.sendSystemMessage({ recvIds: [9], sendResult: false, data: notice });
      expect((await legacy.waitForClose()).code).toBe(CloseCode.INTENTIONAL);

      await revocations.revoke(10, Date.now() - 1000, HOUR_MS); // banned, then unbanned, then logged in
      const again = await connect(await signToken(10, 0, { issuedAtMs: Date.now() }), 'again');
      await f.im.sendSystemMessage({ recvIds: [10], sendResult: false, data: notice });
      expect(await again.nextFrame()).toEqual({ cmd: 5, data: notice });
      await f.im.sendSystemMessage({ recvIds: [10], sendResult: false, data: 'still delivered' });
      expect(await again.nextFrame()).toEqual({ cmd: 5, data: 'still delivered' });
      expect(again.isOpen).toBe(true);
    });
  });
});
