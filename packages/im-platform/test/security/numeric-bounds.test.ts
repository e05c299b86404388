/**
 * Huge numbers in queries, paths and bodies (issue 9, item 8): refused by the schema with a
 * message naming the field, on every engine; nothing reaches SQL, nothing is logged as an error.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLogs } from '@box-im/im-process/testing';
import { ENGINES, startTestApp, type TestApp, type TestUser } from '@box-im/im-platform/testing';

describe.each(ENGINES)('numeric bounds on %s', (engine) => {
  const { logger, entries } = captureLogs('warn');
  let t: TestApp;
  let alice: TestUser;
  let bob: TestUser;
  let groupId: number;
  beforeAll(async () => {
    t = await startTestApp({ engine, logger });
    [alice, bob] = [await t.newUser('nb'), await t.newUser('nb')];
    await t.befriend(alice, bob);
    groupId = (await alice.api.post('/group/create', { name: 'g' })).data.id as number;
  });
  afterAll(() => t?.close());

  const cases: [string, string, () => string, RegExp][] = [
    ['GET', 'page', () => `/message/private/history?friendId=${bob.id}&page=1e300&size=10`, /page 不能大于/],
    ['GET', 'size', () => `/message/private/history?friendId=${bob.id}&page=1&size=1e300`, /size 不能大于/],
    ['GET', 'friendId', () => `/message/private/history?friendId=1e300&page=1&size=10`, /friendId 不能大于/],
    ['GET', 'page', () => `/message/group/history?groupId=${groupId}&page=1e20&size=10`, /page 不能大于/],
    ['GET', 'page', () => `/message/group/history?groupId=${groupId}&page=-1e20&size=10`, /page 不能小于/],
    ['GET', 'minId', () => '/message/private/loadOfflineMessage?minId=1e300', /minId 不能大于/],
    ['GET', 'minId', () => '/message/group/loadOfflineMessage?minId=1e300', /minId 不能大于/],
    ['DELETE', 'id', () => '/message/private/recall/1e300', /id 不能大于/],
    ['GET', 'id', () => '/user/find/99999999999999999999', /id 不能大于/],
    ['GET', 'groupId', () => '/group/find/1e300', /groupId 不能大于/],
  ];

  it.each(cases)('%s with a huge %s is refused naming it', async (method, _field, path, message) => {
    const res = await alice.api.request(method, path());
    expect(res.code).toBe(500);
    expect(res.headers.get('x-error-key')).toBe('VALIDATION');
    expect(res.message).toMatch(/^参数错误：/);
    expect(res.message).toMatch(message);
  });

  it('refuses huge numbers in bodies too', async () => {
    const send = await alice.api.post('/message/private/send', { recvId: bob.id, content: 'x', type: 1e300 });
    expect(send.message).toMatch(/type 不能大于/);
    const at = await alice.api.post('/message/group/send', {
      groupId,
      content: 'x',
      type: 0,
      atUserIds: [1e300],
    });
    expect(at.message).toMatch(/atUserIds\[0\] 不能大于/);
    const invite = await alice.api.post('/group/invite', { groupId, friendIds: [9.9e99] });
    expect(invite.message).toMatch(/friendIds\[0\] 不能大于/);
  });

  it('still reads box-im’s lenient pages (0 or less reads as page 1) and large valid pages', async () => {
    await alice.api.post('/message/private/send', { recvId: bob.id, content: 'hi', type: 0 });
    const zero = await alice.api.get(`/message/private/history?friendId=${bob.id}&page=0&size=0`);
    expect(zero.code, zero.message).toBe(200);
    expect((zero.data as unknown[]).length).toBeGreaterThan(0);
    const far = await alice.api.get(`/message/group/history?groupId=${groupId}&page=1000000&size=1000`);
    expect(far).toMatchObject({ code: 200, data: [] });
  });

  it('logged no error (no SQL saw those numbers)', () => {
    expect(entries.filter((e) => e.level >= 50).map((e) => e.msg)).toEqual([]);
  });
});
