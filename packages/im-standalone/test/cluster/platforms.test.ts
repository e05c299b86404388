/**
 * Two platform (API) processes on one Redis and one database, as a scaled-out deployment runs
 * them: what must hold cluster-wide goes through the bus, not a process's memory. The typing
 * throttle is one bus key per sender and receiver; an admin's sensitive-word change reaches
 * the other platform by a bus notice, at once; so does a token revocation, which each platform
 * otherwise answers from memory.
 */
import { MessageType } from '@box-im/im-common';
import { until } from '@box-im/im-process/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, REDIS_URL, startCluster, type ClusterPlatform, type TestCluster } from '../../testing';
import type { Frame } from '../../testing';
import { PRIVATE, friends, msg } from '../private/support';

const isTyping = (f: Frame) => f.cmd === PRIVATE && msg(f).type === MessageType.TYPING;

describe.skipIf(!REDIS_URL).each(ENGINES)('cluster of two platforms (%s + redis)', (engine) => {
  let c: TestCluster;
  let second: ClusterPlatform;
  beforeAll(async () => {
    c = await startCluster({ engine, nodes: 1 });
    second = await c.addPlatform();
  }, 60_000);
  afterAll(async () => {
    await c?.close();
  });

  it('typing: the second signal within 3 s is dropped even when it reaches the other platform', async () => {
    const [alice, bob] = await friends(c);
    const bobWs = await bob.socket();
    const viaSecond = second.api(alice.api.accessToken);

    expect((await alice.api.post(`/message/private/typing?recvId=${bob.id}`)).code).toBe(200);
    expect(msg(await bobWs.next(isTyping)).sendId).toBe(alice.id);
    // the other platform answers OK and pushes nothing: the throttle is the bus's, not a process's
    expect((await viaSecond.post(`/message/private/typing?recvId=${bob.id}`)).code).toBe(200);
    expect((await alice.api.post(`/message/private/typing?recvId=${bob.id}`)).code).toBe(200);
    expect(await bobWs.settle(isTyping, 500)).toEqual([]);
    // the other direction has a throttle of its own, on either platform
    const bobViaSecond = second.api(bob.api.accessToken);
    const aliceWs = await alice.socket();
    expect((await bobViaSecond.post(`/message/private/typing?recvId=${alice.id}`)).code).toBe(200);
    expect(msg(await aliceWs.next(isTyping)).sendId).toBe(bob.id);
    bobWs.close();
    aliceWs.close();
  });

  it('sensitive words: an admin change on one platform filters on the other within a second', async () => {
    const boss = await c.newUser('boss');
    await c.ctx.services.admin.setAdminByName(boss.userName, true, 'test');
    const speaker = await c.newUser('speaker');
    const speakerThere = second.api(speaker.api.accessToken);
    const word = `禁${Date.now() % 100000}语`;
    const filtered = () => second.ctx.services.words.contains(`我是${word}`);
    const within = async (expected: boolean) => {
      const start = Date.now();
      await until(() => filtered() === expected, 1000, 10);
      return Date.now() - start;
    };
    expect(filtered()).toBe(false);

    const add = await boss.api.post('/admin/words', { content: word });
    expect(add.code).toBe(200);
    expect(await within(true)).toBeLessThan(1000);
    const refused = await speakerThere.put('/user/update', { id: speaker.id, nickName: `我是${word}` });
    expect(refused.message).toBe('昵称包含敏感字符');

    // switched off on the first platform: the second lets it through at once
    expect((await boss.api.put(`/admin/words/${add.data}`, { enabled: false })).code).toBe(200);
    await within(false);
    expect((await speakerThere.put('/user/update', { id: speaker.id, nickName: `我是${word}` })).code).toBe(
      200,
    );

    // on again, then deleted, each seen by the second platform
    expect((await boss.api.put(`/admin/words/${add.data}`, { enabled: true })).code).toBe(200);
    await within(true);
    expect((await boss.api.delete(`/admin/words/${add.data}`)).code).toBe(200);
    await within(false);
  });

  it('revocations: tokens stop at once on the other platform, which remembers markers between notices', async () => {
    expect(second.ctx.services.revocations.caching).toBe(true);
    const boss = await c.newUser('boss');
    await c.ctx.services.admin.setAdminByName(boss.userName, true, 'test');
    const u = await c.newUser('victim');
    const there = second.api(u.api.accessToken);
    expect((await there.get('/user/self')).code).toBe(200); // its marker (none) is now remembered there

    // banned on the first platform: the ban order revokes the tokens (on whichever platform takes it)
    expect((await boss.api.post('/admin/user/ban', { userId: u.id, reason: 'spam' })).code).toBe(200);
    await until(async () => (await c.ctx.services.revocations.validAfter(u.id)) !== null, 5000, 20);
    expect((await boss.api.post('/admin/user/unban', { userId: u.id })).code).toBe(200);
    // the ban is lifted, the row no longer refuses: only the marker, heard by notice, stops the old token
    const after = await there.get('/user/self');
    expect(after.code).toBe(401);
    const again = await c.anon.post<{ accessToken: string }>('/login', {
      terminal: 0,
      userName: u.userName,
      password: u.password,
    });
    expect((await second.api(again.data!.accessToken).get('/user/self')).code).toBe(200);

    // a revocation announced by one platform is known by the other before its next request
    const fresh = second.api(again.data!.accessToken);
    await c.ctx.services.auth.revokeTokens(u.id);
    expect((await fresh.get('/user/self')).code).toBe(401);
  });
});
