/**
 * Every message goes through one writer that takes its time from the clock in whole
 * seconds: what the sender is answered (and what is pushed) equals what history and the
 * offline pull return later, on every engine (MySQL's DATETIME has no fraction).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestApp, type TestApp, type TestUser } from '@box-im/im-platform/testing';

interface Vo {
  id: number;
  type: number;
  content: string;
  sendTime: number;
}

const TIP_TEXT = 21;

describe.each(ENGINES)('message times on %s', (engine) => {
  let t: TestApp;
  let alice: TestUser;
  let bob: TestUser;
  beforeAll(async () => {
    t = await startTestApp({ engine });
    alice = await t.newUser('wa');
    bob = await t.newUser('wb');
    await t.befriend(alice, bob);
  });
  afterAll(() => t.close());

  it('a private message: whole seconds, the same in the answer, history and the offline pull', async () => {
    const sent = (
      await alice.api.post<Vo>('/message/private/send', { recvId: bob.id, content: 'p', type: 0 })
    ).data!;
    expect(sent.sendTime % 1000).toBe(0);
    const history = (await bob.api.get<Vo[]>(`/message/private/history?friendId=${alice.id}&page=1&size=5`))
      .data!;
    expect(history.find((m) => m.id === sent.id)!.sendTime).toBe(sent.sendTime);
    const pulled = (await bob.api.get<Vo[]>(`/message/private/loadOfflineMessage?minId=${sent.id - 1}`))
      .data!;
    expect(pulled.find((m) => m.id === sent.id)!.sendTime).toBe(sent.sendTime);
  });

  it('a group message and the group tips: whole seconds, the same in the answer and history', async () => {
    const group = (await alice.api.post<{ id: number }>('/group/create', { name: 'times' })).data!;
    expect((await alice.api.post('/group/invite', { groupId: group.id, friendIds: [bob.id] })).code).toBe(
      200,
    );
    const sent = (
      await alice.api.post<Vo>('/message/group/send', { groupId: group.id, content: 'g', type: 0 })
    ).data!;
    expect(sent.sendTime % 1000).toBe(0);
    const history = (await bob.api.get<Vo[]>(`/message/group/history?groupId=${group.id}&page=1&size=10`))
      .data!;
    expect(history.find((m) => m.id === sent.id)!.sendTime).toBe(sent.sendTime);
    const tip = history.find((m) => m.type === TIP_TEXT)!;
    expect(tip.content).toContain('邀请');
    expect(tip.sendTime % 1000).toBe(0);
    const pulled = (await bob.api.get<Vo[]>(`/message/group/loadOfflineMessage?minId=0`)).data!;
    expect(pulled.find((m) => m.id === sent.id)!.sendTime).toBe(sent.sendTime);
  });

  it('the recall window is measured on the clock', async () => {
    const sent = (
      await alice.api.post<Vo>('/message/private/send', { recvId: bob.id, content: 'late', type: 0 })
    ).data!;
    t.clock.advance(5 * 60 * 1000 + 1000);
    const late = await alice.api.delete(`/message/private/recall/${sent.id}`);
    expect(late).toMatchObject({ code: 500, message: '消息已发送超过5分钟，无法撤回' });
  });
});
