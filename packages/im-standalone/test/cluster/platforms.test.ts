/**
 * Two platform (API) processes on one Redis and one database, as a scaled-out deployment runs
 * them: what must hold cluster-wide goes through the bus, not a process's memory. The typing
 * throttle is one bus key per sender and receiver; an admin's sensitive-word change reaches
 * the other platform by a bus notice, at once.
 */
import { MessageType } from '@box-im/im-common';
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
});
