/**
 * A group call in cluster mode: one platform and two push nodes on Redis, participants on
 * different nodes. Setup, answers and offers reach the right participant whichever node
 * holds its socket; the call state is the Redis key.
 */
import { Cmd, MessageType } from '@box-im/im-common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDIS_URL, startCluster, type ClusterUser, type TestCluster } from '../../testing';

describe.skipIf(!REDIS_URL)('cluster: a group call across two push nodes', () => {
  let c: TestCluster;
  beforeAll(async () => {
    c = await startCluster({ engine: 'sqlite', nodes: 2 });
  });
  afterAll(() => c.close());

  it('signals between participants connected to different nodes', async () => {
    const [a, b, d] = [await c.newUser('ca'), await c.newUser('cb'), await c.newUser('cd')] as ClusterUser[];
    for (const u of [b!, d!]) await c.befriend(a!, u);
    const groupId = (await a!.api.post<{ id: number }>('/group/create', { name: 'cl' })).data!.id;
    await a!.api.post('/group/invite', { groupId, friendIds: [b!.id, d!.id] });
    const wa = await a!.socketAt(0);
    const wb = await b!.socketAt(1);
    const wd = await d!.socketAt(1);
    const post = (u: ClusterUser, action: string, body?: unknown) =>
      u.api.post(`/webrtc/group/${action}`, body);

    expect((await post(a!, 'setup', { groupId, userInfos: [{ id: b!.id }] })).code).toBe(200);
    await wb.nextMessage(Cmd.GROUP_MESSAGE, MessageType.RTC_GROUP_SETUP);
    expect(await c.ctx.bus.get(`im:webrtc:group:session:${groupId}`)).toContain(`"hostId":${a!.id}`);
    expect((await post(b!, `accept?groupId=${groupId}`)).code).toBe(200);
    await wa.nextMessage(Cmd.GROUP_MESSAGE, MessageType.RTC_GROUP_ACCEPT);
    expect((await post(a!, 'offer', { groupId, userId: b!.id, offer: '{"sdp":"o"}' })).code).toBe(200);
    expect((await wb.nextMessage(Cmd.GROUP_MESSAGE, MessageType.RTC_GROUP_OFFER)).data).toMatchObject({
      sendId: a!.id,
      content: '{"sdp":"o"}',
    });
    expect((await post(b!, 'answer', { groupId, userId: a!.id, answer: '{"sdp":"a"}' })).code).toBe(200);
    await wa.nextMessage(Cmd.GROUP_MESSAGE, MessageType.RTC_GROUP_ANSWER);
    expect((await post(d!, `join?groupId=${groupId}`)).code).toBe(200);
    await wa.nextMessage(Cmd.GROUP_MESSAGE, MessageType.RTC_GROUP_JOIN);
    await wb.nextMessage(Cmd.GROUP_MESSAGE, MessageType.RTC_GROUP_JOIN);
    for (const u of [a!, b!, d!]) expect((await post(u, `quit?groupId=${groupId}`)).code).toBe(200);
    await wd.next(
      (f) =>
        f.cmd === Cmd.GROUP_MESSAGE && /群通话已结束/.test((f.data as { content: string }).content ?? ''),
    );
    expect(await c.ctx.bus.get(`im:webrtc:group:session:${groupId}`)).toBeNull();
    for (const w of [wa, wb, wd]) w.close();
  });
});
