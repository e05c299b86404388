/**
 * Former members (kicked, removed or left) keep the group as it was when they left: its
 * name, notice, avatar and members of then, nobody online. Later changes and members are
 * not theirs to see (issue 9, item 4).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeGroup, type Group } from './support';
import { ENGINES, startTestServer, type TestServer, type TestSocket } from '../../testing';

interface Member {
  userId: number;
  quit: boolean;
  online: boolean;
  showGroupName: string;
}

describe.each(ENGINES)('former group members on %s', (engine) => {
  let t: TestServer;
  const sockets: TestSocket[] = [];
  beforeAll(async () => {
    t = await startTestServer({ engine });
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await t?.close();
  });

  it.each(['kicked', 'removed', 'quit'] as const)(
    'a member who was %s sees neither the new name, notice and avatar nor later members',
    async (how) => {
      const owner = await t.newUser('own');
      const stays = await t.newUser('stay');
      const gone = await t.newUser('gone');
      const late = await t.newUser('late');
      const g = await makeGroup(t, owner, [stays, gone], 'before');
      await owner.api.put('/group/modify', { ...g, notice: 'old notice' });
      sockets.push(await stays.socket());
      if (how === 'kicked') await owner.api.delete(`/group/kick/${g.id}?userId=${gone.id}`);
      if (how === 'removed')
        await owner.api.delete('/group/members/remove', { groupId: g.id, userIds: [gone.id] });
      if (how === 'quit') await gone.api.delete(`/group/quit/${g.id}`);

      const changed = await owner.api.put('/group/modify', {
        ...g,
        name: 'after',
        notice: 'secret plans',
        headImage: 'https://example.com/new.png',
        headImageThumb: 'https://example.com/new-thumb.png',
      });
      expect(changed.code, changed.message).toBe(200);
      await t.befriend(owner, late);
      expect((await owner.api.post('/group/invite', { groupId: g.id, friendIds: [late.id] })).code).toBe(200);
      sockets.push(await late.socket());

      // The current members see the change.
      const ownerView = (await owner.api.get<Group>(`/group/find/${g.id}`)).data!;
      expect(ownerView).toMatchObject({ name: 'after', notice: 'secret plans' });
      const ownerMembers = (await owner.api.get<Member[]>(`/group/members/${g.id}`)).data!;
      expect(ownerMembers.map((m) => m.userId)).toContain(late.id);
      expect(ownerMembers.find((m) => m.userId === stays.id)?.online).toBe(true);

      // The former member does not.
      const found = await gone.api.get<Group>(`/group/find/${g.id}`);
      expect(found.code, found.message).toBe(200);
      expect(found.data).toMatchObject({
        name: 'before',
        showGroupName: 'before',
        notice: 'old notice',
        headImage: '',
        headImageThumb: '',
        quit: true,
      });
      const listed = (await gone.api.get<Group[]>('/group/list')).data!.find((x) => x.id === g.id);
      expect(listed).toMatchObject({ name: 'before', notice: 'old notice', headImage: '', quit: true });
      const members = await gone.api.get<Member[]>(`/group/members/${g.id}`);
      expect(members.code, members.message).toBe(200);
      const ids = members.data!.map((m) => m.userId).sort((a, b) => a - b);
      expect(ids).toEqual([owner.id, stays.id, gone.id].sort((a, b) => a - b));
      expect(members.data!.every((m) => !m.online)).toBe(true);
      expect(members.data!.find((m) => m.userId === gone.id)?.quit).toBe(true);
      expect(members.data!.every((m) => m.showGroupName === 'before')).toBe(true);
      expect(JSON.stringify([found.data, listed, members.data])).not.toMatch(/secret|after|new\.png/);
    },
  );

  it('a former member does not learn who left after them, and gets the group back when invited again', async () => {
    const owner = await t.newUser('own');
    const first = await t.newUser('first');
    const second = await t.newUser('second');
    const g = await makeGroup(t, owner, [first, second], 'club');
    await first.api.delete(`/group/quit/${g.id}`);
    await second.api.delete(`/group/quit/${g.id}`);
    const seenByFirst = (await first.api.get<Member[]>(`/group/members/${g.id}`)).data!;
    expect(seenByFirst.find((m) => m.userId === second.id)?.quit).toBe(false);
    const seenBySecond = (await second.api.get<Member[]>(`/group/members/${g.id}`)).data!;
    expect(seenBySecond.find((m) => m.userId === first.id)?.quit).toBe(true);

    await owner.api.put('/group/modify', { ...g, name: 'club2' });
    await owner.api.post('/group/invite', { groupId: g.id, friendIds: [first.id] });
    expect((await first.api.get<Group>(`/group/find/${g.id}`)).data).toMatchObject({
      name: 'club2',
      quit: false,
    });
  });
});
