/**
 * Forward (issue 15): messages of one conversation go to several chats, one by one or merged
 * into one chat record (type 60); files and images keep pointing at the stored object; a
 * bad source or target sends nothing; nobody forwards out of a conversation they are not in.
 */
import { expect, it } from 'vitest';
import type { TestUser } from '../../testing';
import { GROUP, PRIVATE, describeEngines, friends, gm, makeGroup, msg, sayTo } from './support';

const PNG_1PX = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
const CHAT_RECORD = 60;
type Frame = { cmd: number; data: unknown };

describeEngines('forward', (server) => {
  /** A group of `owner` with `friends` (already the owner's friends) invited. */
  async function groupOf(owner: TestUser, members: TestUser[], name: string) {
    const g = await makeGroup(server(), owner, [], name);
    const res = await owner.api.post('/group/invite', { groupId: g.id, friendIds: members.map((m) => m.id) });
    expect(res.code, res.message).toBe(200);
    return g;
  }

  const fileCount = async () =>
    Number(
      (
        await server()
          .running.ctx.db.db.selectFrom('im_file_info')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('one by one to a friend and a group: same contents, same stored image, pushed to the targets', async () => {
    const t = server();
    const [alice, bob] = await friends(t);
    const carol = await t.newUser('carol');
    await t.befriend(alice, carol);
    const g = await groupOf(alice, [bob], 'fwd');
    const form = new FormData();
    form.append('file', new Blob([PNG_1PX], { type: 'image/png' }), 'a.png');
    const upload = await alice.api.post('/image/upload', form);
    expect(upload.code).toBe(200);
    const image = JSON.stringify({ ...upload.data, width: 1, height: 1 });
    const m1 = await sayTo(bob, alice, '第一条');
    const m2 = await alice.api.post('/message/private/send', { recvId: bob.id, content: image, type: 1 });
    const files = await fileCount();
    const carolWs = await carol.socket();
    const bobWs = await bob.socket();

    const res = await alice.api.post('/message/forward', {
      sourceType: 'PRIVATE',
      messageIds: [m2.data.id, m1.data.id],
      targets: [
        { type: 'PRIVATE', targetId: carol.id },
        { type: 'GROUP', targetId: g.id },
      ],
    });
    expect(res.code, res.message).toBe(200);
    // oldest first, as said
    expect(
      res.data.privateMessages.map((m: { content: string; type: number }) => [m.type, m.content]),
    ).toEqual([
      [0, '第一条'],
      [1, image],
    ]);
    expect(res.data.groupMessages.map((m: { content: string }) => m.content)).toEqual(['第一条', image]);
    expect(res.data.privateMessages[0]).toMatchObject({ sendId: alice.id, recvId: carol.id });
    expect(msg((await carolWs.next((f: Frame) => f.cmd === PRIVATE)) as never).content).toBe('第一条');
    expect(gm((await bobWs.next((f: Frame) => f.cmd === GROUP)) as never).content).toBe('第一条');
    expect(await fileCount()).toBe(files); // no bytes copied: the same stored image
    carolWs.close();
    bobWs.close();
  });

  it('merged into one chat record per target, which opens as the list of messages', async () => {
    const t = server();
    const [alice, bob] = await friends(t);
    const dave = await t.newUser('dave');
    const g = await makeGroup(t, alice, [dave], 'rec');
    const ids: number[] = [];
    for (const [from, to, text] of [
      [alice, bob, '一'],
      [bob, alice, '二'],
      [alice, bob, '三'],
    ] as const) {
      ids.push((await sayTo(from, to, text)).data.id);
    }
    const daveWs = await dave.socket();
    const res = await alice.api.post('/message/forward', {
      sourceType: 'PRIVATE',
      messageIds: ids,
      merged: true,
      targets: [{ type: 'GROUP', targetId: g.id }],
    });
    expect(res.code, res.message).toBe(200);
    expect(res.data.groupMessages).toHaveLength(1);
    const pushed = gm(await daveWs.next((f: Frame) => f.cmd === GROUP));
    expect(pushed.type).toBe(CHAT_RECORD);
    const record = JSON.parse(pushed.content) as {
      chatType: string;
      names: string[];
      items: { content: string }[];
    };
    expect(record.chatType).toBe('PRIVATE');
    expect(record.names).toEqual([alice.nickName, bob.nickName]);
    expect(record.items.map((i) => i.content)).toEqual(['一', '二', '三']);
    expect(record.items[1]).toMatchObject({ sendId: bob.id, sendNickName: bob.nickName, type: 0 });
    // dave may forward the record on (a record is forwardable), into the same group's history
    const again = await dave.api.post('/message/forward', {
      sourceType: 'GROUP',
      messageIds: [pushed.id],
      targets: [{ type: 'GROUP', targetId: g.id }],
    });
    expect(again.data.groupMessages[0]).toMatchObject({ type: CHAT_RECORD, content: pushed.content });
    // a user cannot send type 60 through the ordinary send
    const forged = await alice.api.post('/message/group/send', {
      groupId: g.id,
      content: pushed.content,
      type: 60,
    });
    expect(forged.headers.get('x-error-key')).toBe('TYPE_NOT_ALLOWED');
    daveWs.close();
  });

  it('refuses what the caller may not read or write, recalled messages, and sends nothing then', async () => {
    const t = server();
    const [alice, bob] = await friends(t);
    const [carol, dave] = await friends(t, 'carol', 'dave');
    await t.befriend(alice, carol);
    const theirs = await sayTo(carol, dave, 'secret');
    const mine = await sayTo(alice, bob, 'mine');
    const cases: [Record<string, unknown>, string][] = [
      [
        {
          sourceType: 'PRIVATE',
          messageIds: [theirs.data.id],
          targets: [{ type: 'PRIVATE', targetId: carol.id }],
        },
        'FORWARD_NOT_FOUND',
      ],
      [
        {
          sourceType: 'PRIVATE',
          messageIds: [mine.data.id, theirs.data.id],
          targets: [{ type: 'PRIVATE', targetId: carol.id }],
        },
        'FORWARD_NOT_FOUND',
      ],
      [
        {
          sourceType: 'GROUP',
          messageIds: [mine.data.id],
          targets: [{ type: 'PRIVATE', targetId: carol.id }],
        },
        'FORWARD_NOT_FOUND',
      ],
      [
        {
          sourceType: 'PRIVATE',
          messageIds: [mine.data.id],
          targets: [
            { type: 'PRIVATE', targetId: carol.id },
            { type: 'PRIVATE', targetId: dave.id },
          ],
        },
        'SEND_NOT_FRIEND',
      ],
    ];
    const g = await groupOf(carol, [dave], 'closed');
    cases.push([
      { sourceType: 'PRIVATE', messageIds: [mine.data.id], targets: [{ type: 'GROUP', targetId: g.id }] },
      'SEND_NOT_MEMBER',
    ]);
    const groupSecret = await carol.api.post('/message/group/send', {
      groupId: g.id,
      content: 'inner',
      type: 0,
    });
    cases.push([
      {
        sourceType: 'GROUP',
        messageIds: [groupSecret.data.id],
        targets: [{ type: 'PRIVATE', targetId: carol.id }],
      },
      'FORWARD_NOT_FOUND',
    ]);
    for (const [body, key] of cases) {
      const res = await alice.api.post('/message/forward', body);
      expect(res.headers.get('x-error-key'), JSON.stringify(body)).toBe(key);
    }
    // nothing reached carol from any refused forward
    const history = await carol.api.get(`/message/private/history?friendId=${alice.id}&page=1&size=50`);
    expect((history.data as { type: number }[]).filter((m) => m.type !== 21)).toEqual([]); // 21: the friend tip
    await alice.api.delete(`/message/private/recall/${mine.data.id}`);
    const recalled = await alice.api.post('/message/forward', {
      sourceType: 'PRIVATE',
      messageIds: [mine.data.id],
      targets: [{ type: 'PRIVATE', targetId: carol.id }],
    });
    expect(recalled.headers.get('x-error-key')).toBe('FORWARD_RECALLED');
    expect(recalled.message).toBe('已撤回的消息不能转发');
    const bad = await alice.api.post('/message/forward', {
      sourceType: 'PRIVATE',
      messageIds: [],
      targets: [],
    });
    expect([bad.code, bad.headers.get('x-error-key'), bad.message]).toEqual([
      500,
      'VALIDATION',
      '参数错误：messageIds 不能为空',
    ]);
  });
});
