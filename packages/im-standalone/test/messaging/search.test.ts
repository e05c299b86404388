/**
 * Message search (issue 15), one contract on every engine: the caller's private chats and
 * the group messages they see, Chinese keywords of two and more characters, filters,
 * paging, and nothing the caller may not read.
 */
import { expect, it } from 'vitest';
import type { TestUser } from '../../testing';
import { describeEngines, friends, joinLater, makeGroup, postTo, sayTo } from './support';

interface Item {
  id: number;
  content: string;
  sendId: number;
  groupId?: number;
  recvId?: number;
  sendTime: number;
}

describeEngines('message search', (server) => {
  const search = async (u: TestUser, query: string) => {
    const res = await u.api.get<Item[]>(`/message/search?${query}`);
    expect(res.code, res.message).toBe(200);
    return res.data!;
  };
  const q = (keyword: string, extra = '') => `keyword=${encodeURIComponent(keyword)}${extra}`;
  const say = async (from: TestUser, to: TestUser, content: string) =>
    (await sayTo(from, to, content)).data as Item;
  const post = async (from: TestUser, groupId: number, content: string) =>
    (await postTo(from, groupId, content)).data as Item;

  it('finds Chinese words in my private chats and my groups, newest first, and only there', async () => {
    const t = server();
    const [alice, bob] = await friends(t);
    const [carol, dave] = await friends(t, 'carol', 'dave');
    const p1 = await say(alice, bob, '周末一起去爬山吧');
    const p2 = await say(bob, alice, '好的，爬山要带水');
    await say(carol, dave, '我们也去爬山'); // not alice's
    const g = await makeGroup(t, carol, [alice]);
    const g1 = await post(carol, g.id, '群里说爬山的事');
    const other = await makeGroup(t, dave, []);
    await post(dave, other.id, '别的群也爬山'); // alice is not a member
    await say(alice, bob, '{"not":"爬山 media"}'); // text anyway; media types are left out below
    await alice.api.post('/message/private/send', {
      recvId: bob.id,
      type: 2,
      content: JSON.stringify({ name: '爬山.pdf', size: 1, url: '/file/x.pdf' }),
    });
    const hits = await search(alice, q('爬山'));
    // newest first (times are whole seconds: order across private and group within a second is open)
    expect(hits.map((h) => h.content).sort()).toEqual(
      ['{"not":"爬山 media"}', '群里说爬山的事', '好的，爬山要带水', '周末一起去爬山吧'].sort(),
    );
    expect(hits.map((h) => h.sendTime)).toEqual(hits.map((h) => h.sendTime).sort((a, b) => b - a));
    const privateOnly = await search(alice, q('爬山', '&chatType=PRIVATE'));
    expect(privateOnly.map((h) => h.content)).toEqual([
      '{"not":"爬山 media"}',
      '好的，爬山要带水',
      '周末一起去爬山吧',
    ]);
    expect(hits.find((h) => h.id === g1.id)).toMatchObject({ groupId: g.id, sendId: carol.id });
    expect(hits.find((h) => h.id === p2.id)).toMatchObject({ recvId: alice.id, sendId: bob.id });
    // three and more characters (the FTS path on SQLite) give the same kind of answer
    expect((await search(alice, q('一起去爬山'))).map((h) => h.id)).toEqual([p1.id]);
    expect(await search(dave, q('一起去爬山'))).toEqual([]);
    expect((await search(dave, q('爬山'))).map((h) => h.content).sort()).toEqual(
      ['别的群也爬山', '我们也去爬山'].sort(),
    );
  });

  it('group messages only from when I joined until I left; recalled ones never', async () => {
    const t = server();
    const owner = await t.newUser('own');
    const late = await t.newUser('late');
    const g = await makeGroup(t, owner, []);
    await post(owner, g.id, '加入前的秘密计划');
    await joinLater(t, owner, g.id, late);
    const seen = await post(owner, g.id, '加入后的公开计划');
    const gone = await post(owner, g.id, '撤回的计划');
    await owner.api.delete(`/message/group/recall/${gone.id}`);
    expect((await search(late, q('计划'))).map((h) => h.id)).toEqual([seen.id]);
    await late.api.delete(`/group/quit/${g.id}`);
    await post(owner, g.id, '退出后的新计划');
    expect((await search(late, q('计划'))).map((h) => h.id)).toEqual([seen.id]);
    expect((await search(owner, q('计划'))).length).toBe(3);
  });

  it('filters by chat, sender and date; pages; Latin case-insensitive; LIKE characters literal', async () => {
    const t = server();
    const [alice, bob] = await friends(t);
    const carol = await t.newUser('carol');
    await t.befriend(alice, carol);
    const g = await makeGroup(t, alice, []);
    const a1 = await say(alice, bob, 'Report 100% done');
    const b1 = await say(bob, alice, 'report_v2 attached');
    const c1 = await say(carol, alice, 'REPORT from carol');
    const g1 = await post(alice, g.id, 'report in group');
    const ids = async (query: string) => (await search(alice, query)).map((h) => h.id);
    expect((await search(alice, q('report'))).map((h) => h.content).sort()).toEqual(
      ['Report 100% done', 'report_v2 attached', 'REPORT from carol', 'report in group'].sort(),
    );
    expect(await ids(q('report', `&chatType=PRIVATE&chatId=${bob.id}`))).toEqual([b1.id, a1.id]);
    expect(await ids(q('report', `&chatType=GROUP&chatId=${g.id}`))).toEqual([g1.id]);
    expect(await ids(q('report', '&chatType=PRIVATE'))).toEqual([c1.id, b1.id, a1.id]);
    expect(await ids(q('report', `&senderId=${carol.id}`))).toEqual([c1.id]);
    expect(await ids(q('report', `&from=${b1.sendTime}&to=${c1.sendTime}`))).toEqual(
      expect.arrayContaining([b1.id, c1.id]),
    );
    expect(await ids(q('report', `&to=${a1.sendTime - 1000}`))).toEqual([]);
    expect(await ids(q('report', '&chatType=PRIVATE&page=2&size=2'))).toEqual([a1.id]);
    expect(await ids(q('report', '&chatType=PRIVATE&page=1&size=2'))).toEqual([c1.id, b1.id]);
    expect(await ids(q('100%'))).toEqual([a1.id]);
    expect(await ids(q('t_v'))).toEqual([b1.id]);
    expect(await ids(q('x_y%'))).toEqual([]);
    const blank = await alice.api.get(`/message/search?${q('  ')}`);
    expect(blank.headers.get('x-error-key')).toBe('SEARCH_KEYWORD_BLANK');
    expect(blank.message).toBe('搜索关键字不能为空');
    const noType = await alice.api.get(`/message/search?${q('x', `&chatId=${bob.id}`)}`);
    expect(noType.headers.get('x-error-key')).toBe('SEARCH_CHAT_WITHOUT_TYPE');
  });
});
