/** Group sends are idempotent on (sender, tmpId), also across platform processes. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestApp, type TestApp } from '@box-im/im-platform/testing';

describe.each(ENGINES)('group send idempotency on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ engine });
  });
  afterAll(() => t.close());

  it('returns the stored message for a retry and refuses a tmpId reused in another group', async () => {
    const owner = await t.newUser('idem');
    const g1 = (await owner.api.post('/group/create', { name: 'one' })).data;
    const g2 = (await owner.api.post('/group/create', { name: 'two' })).data;
    const first = await owner.api.post('/message/group/send', {
      tmpId: 'same-1',
      groupId: g1.id,
      content: 'hi',
      type: 0,
    });
    const retry = await owner.api.post('/message/group/send', {
      tmpId: 'same-1',
      groupId: g1.id,
      content: 'hi',
      type: 0,
    });
    // Same stored message (on MySQL the retry's sendTime is the stored, second-precision one).
    expect(retry.data).toMatchObject({ id: first.data.id, tmpId: 'same-1', content: 'hi' });
    const elsewhere = await owner.api.post('/message/group/send', {
      tmpId: 'same-1',
      groupId: g2.id,
      content: 'hi',
      type: 0,
    });
    expect(elsewhere).toMatchObject({ code: 500, message: '消息临时id same-1 已被另一条消息使用' });
    const history = await owner.api.get(`/message/group/history?groupId=${g1.id}&page=1&size=20`);
    expect(history.data.filter((m: { tmpId?: string; content: string }) => m.content === 'hi')).toHaveLength(
      1,
    );
  });

  it('lets the database refuse a second row with the same (sender, tmpId), as another process would meet it', async () => {
    const owner = await t.newUser('race');
    const g = (await owner.api.post('/group/create', { name: 'race' })).data;
    const repo = t.running.ctx.repos.groupMessages;
    const row = {
      tmp_id: 'from-process-b',
      group_id: g.id,
      send_id: owner.id,
      send_nick_name: owner.nickName,
      recv_ids: '',
      content: 'stored by another process',
      at_user_ids: null,
      receipt: 0,
      type: 0,
      status: 0,
      send_time: new Date(),
    };
    expect(await repo.insertUnlessTmpIdTaken(row)).toBeGreaterThan(0);
    expect(await repo.insertUnlessTmpIdTaken(row)).toBeNull();
    const sent = await owner.api.post('/message/group/send', {
      tmpId: 'from-process-b',
      groupId: g.id,
      content: 'x',
      type: 0,
    });
    expect(sent.data.content).toBe('stored by another process');
  });
});
