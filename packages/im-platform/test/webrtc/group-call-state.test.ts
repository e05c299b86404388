/**
 * Group call state on the bus, on the inject tier (every engine): what the session key holds,
 * what `info` reports, bad input refused with a message naming the field. Users are marked
 * online on the bus the way a push node does (no sockets here; the WebSocket flow is in
 * im-standalone's system tests).
 */
import { BusLock } from '@box-im/im-bus';
import { RedisKey } from '@box-im/im-common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestApp, type TestApp, type TestUser } from '@box-im/im-platform/testing';
import { createServices } from '../../src/services';

describe.each(ENGINES)('group call state on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ engine });
  });
  afterAll(() => t.close());

  // A route to push node 1, and node 1's liveness key (senders treat a node without one as dead).
  const online = async (u: TestUser) => {
    await t.running.ctx.bus.set(RedisKey.serverAlive(1), '1', { ttlMs: 60_000 });
    await t.running.ctx.bus.set(RedisKey.userServerId(u.id, 0), '1', { ttlMs: 60_000 });
  };
  const post = (u: TestUser, action: string, body?: unknown) => u.api.post(`/webrtc/group/${action}`, body);

  async function group(): Promise<[number, TestUser, TestUser, TestUser]> {
    const [a, b, c] = [await t.newUser('sa'), await t.newUser('sb'), await t.newUser('sc')];
    for (const u of [b, c]) await t.befriend(a, u);
    const groupId = (await a.api.post('/group/create', { name: 'state' })).data.id as number;
    await a.api.post('/group/invite', { groupId, friendIds: [b.id, c.id] });
    for (const u of [a, b, c]) await online(u);
    return [groupId, a, b, c];
  }

  it('keeps host, participants, invited and device state on the bus; info reports them', async () => {
    const [groupId, a, b, c] = await group();
    expect((await post(a, 'setup', { groupId, userInfos: [{ id: b.id }, { id: c.id }] })).code).toBe(200);
    const raw = await t.running.ctx.bus.get(`im:webrtc:group:session:${groupId}`);
    expect(JSON.parse(raw!)).toMatchObject({
      groupId,
      hostId: a.id,
      users: [
        { id: a.id, joined: true },
        { id: b.id, joined: false },
        { id: c.id, joined: false },
      ],
    });
    expect((await post(b, `accept?groupId=${groupId}`)).code).toBe(200);
    expect((await post(b, 'device', { groupId, isCamera: true, isMicroPhone: false })).code).toBe(200);
    const info = (await c.api.get(`/webrtc/group/info?groupId=${groupId}`)).data;
    expect(info).toMatchObject({
      isChating: true,
      host: { id: a.id },
      userInfos: [
        { id: a.id, isCamera: false, isMicroPhone: true },
        { id: b.id, isCamera: true, isMicroPhone: false },
      ],
      invitedUserInfos: [{ id: c.id }],
    });
    expect(typeof info.startTime).toBe('number');
    for (const u of [a, b]) expect((await post(u, `quit?groupId=${groupId}`)).code).toBe(200);
    expect(await t.running.ctx.bus.get(`im:webrtc:group:session:${groupId}`)).toBeNull();
    // c was still ringing: the call ended for it too, and it is free.
    expect((await post(c, 'setup', { groupId, userInfos: [{ id: a.id }] })).code).toBe(200);
    await post(c, `cancel?groupId=${groupId}`);
    const history = (await a.api.get(`/message/group/history?groupId=${groupId}&page=1&size=20`)).data as {
      content: string;
    }[];
    expect(history.filter((m) => /^群通话已结束,通话时长 \d\d:\d\d$/.test(m.content))).toHaveLength(2);
  });

  it('refuses malformed requests with a message naming what is wrong', async () => {
    const [groupId, a, b] = await group();
    const noUsers = await post(a, 'setup', { groupId });
    expect(noUsers.code).toBe(500);
    expect(noUsers.message).toMatch(/userInfos/);
    const badId = await post(a, 'setup', { groupId, userInfos: [{ id: 'x' }] });
    expect(badId.message).toMatch(/id/);
    const noGroup = await post(a, 'accept');
    expect(noGroup.message).toMatch(/groupId/);
    expect((await post(a, 'setup', { groupId, userInfos: [{ id: b.id }] })).code).toBe(200);
    const huge = await post(a, 'offer', { groupId, userId: b.id, offer: 'x'.repeat(70_000) });
    expect(huge.code).toBe(500);
    expect(huge.message).toMatch(/offer/);
    await post(a, `cancel?groupId=${groupId}`);
  });

  const session = async (groupId: number) => {
    const raw = await t.running.ctx.bus.get(`im:webrtc:group:session:${groupId}`);
    return raw ? (JSON.parse(raw) as { users: { id: number; joined: boolean }[] }) : null;
  };
  const busy = async (u: TestUser) => (await t.running.ctx.bus.get(`im:user:state:${u.id}`)) !== null;

  it('takes members who quit or are removed out of the call at once; a dissolved group ends it', async () => {
    const [groupId, a, b, c] = await group();
    expect((await post(a, 'setup', { groupId, userInfos: [{ id: b.id }, { id: c.id }] })).code).toBe(200);
    expect((await post(b, `accept?groupId=${groupId}`)).code).toBe(200);
    // b (in the call) is removed by the owner, c (still ringing) leaves the group.
    expect((await a.api.delete('/group/members/remove', { groupId, userIds: [b.id] })).code).toBe(200);
    expect((await c.api.delete(`/group/quit/${groupId}`)).code).toBe(200);
    expect((await session(groupId))?.users.map((u) => u.id)).toEqual([a.id]);
    expect(await busy(b)).toBe(false);
    expect(await busy(c)).toBe(false);
    expect((await post(b, `heartbeat?groupId=${groupId}`)).code).not.toBe(200);

    // The last participant leaving the group ends the call (with the end tip); here a dissolves it.
    const [g2, d, e] = await group();
    expect((await post(d, 'setup', { groupId: g2, userInfos: [{ id: e.id }] })).code).toBe(200);
    expect((await post(e, `accept?groupId=${g2}`)).code).toBe(200);
    expect((await d.api.delete(`/group/delete/${g2}`)).code).toBe(200);
    expect(await session(g2)).toBeNull();
    expect(await busy(d)).toBe(false);
    expect(await busy(e)).toBe(false);
    expect(await t.running.ctx.bus.get('im:webrtc:group:index')).not.toContain(String(g2));
    await post(a, `cancel?groupId=${groupId}`);
  });

  it('sweeps every call on the bus from any process, one sweeper at a time', async () => {
    const [groupId, a, b] = await group();
    expect((await post(a, 'setup', { groupId, userInfos: [{ id: b.id }] })).code).toBe(200);
    expect(JSON.parse((await t.running.ctx.bus.get('im:webrtc:group:index'))!)).toContain(groupId);
    // Another platform process on the same bus and database: it never saw this call.
    const { config, log, clock, bus, im, repos, storage } = t.running.ctx;
    const other = createServices({ config, log, clock, bus, im, repos, storage });
    t.clock.advance(70_000);
    // While a sweeper runs elsewhere (its lock held), this one skips.
    const held = new BusLock(bus, 'im:lock:webrtc:group:sweep', 60_000);
    expect(await held.tryAcquire()).toBe(true);
    await other.webrtcGroup.sweep();
    expect(await session(groupId)).not.toBeNull();
    await held.release();
    await other.webrtcGroup.sweep();
    expect(await session(groupId)).toBeNull();
    expect(JSON.parse((await bus.get('im:webrtc:group:index')) ?? '[]')).not.toContain(groupId);
    const history = (await a.api.get(`/message/group/history?groupId=${groupId}&page=1&size=20`)).data as {
      content: string;
    }[];
    expect(history.some((m) => /^群通话已结束,通话时长 \d\d:\d\d$/.test(m.content))).toBe(true);
    expect(await busy(a)).toBe(false);
  });
});
