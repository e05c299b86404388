import { describe, expect, it } from 'vitest';
import { MessageType } from '@box-im/im-common';
import {
  ChatBook,
  ClientStatus as S,
  createChatState,
  memoryStore,
  sortChats,
  summarize,
  totalUnread,
} from '../src';
import { FakeClock } from './fakes';
import { labels, makeBook, ME, msg } from './helpers';

describe('ChatBook', () => {
  it('counts unread for new incoming messages only, and @me / @all markers', () => {
    const { book } = makeBook();
    const c = book.open('GROUP', 10, { showName: 'g', headImage: '' });
    book.insert(c, [msg({ id: 1, groupId: 10 }), msg({ id: 2, groupId: 10, atUserIds: [ME] })], ME);
    expect(c.unreadCount).toBe(2);
    expect(c.atMe).toBe(true);
    expect(c.atAll).toBe(false);
    // duplicates (a live frame replayed after the pull) do not count twice
    book.insert(c, [msg({ id: 2, groupId: 10 })], ME);
    expect(c.unreadCount).toBe(2);
    book.insert(c, [msg({ id: 3, groupId: 10, atUserIds: [-1] })], ME);
    expect(c.atAll).toBe(true);
    // own messages, tips and already-read ones do not count
    book.insert(
      c,
      [
        msg({ id: 4, sendId: ME, selfSend: true }),
        msg({ id: 5, type: MessageType.TIP_TEXT }),
        msg({ id: 6, status: S.READED }),
      ],
      ME,
    );
    expect(c.unreadCount).toBe(3);
    expect(totalUnread(book.list())).toBe(3);
    book.resetUnread(c);
    expect([c.unreadCount, c.atMe, c.atAll]).toEqual([0, false, false]);
    expect(book.state.groupMaxId).toBe(6);
    expect(book.state.privateMaxId).toBe(0);
  });

  it('a late, lower id is still new: counted and returned', () => {
    const { book } = makeBook();
    const c = book.open('GROUP', 10, { showName: 'g', headImage: '' });
    book.insert(c, [msg({ id: 8, groupId: 10 })], ME);
    const fresh = book.insert(c, [msg({ id: 7, groupId: 10 }), msg({ id: 8, groupId: 10 })], ME);
    expect(fresh.map((m) => m.id)).toEqual([7]);
    expect(c.messages.map((m) => m.id)).toEqual([7, 8]);
    expect(c.unreadCount).toBe(2);
  });

  it('the chat being watched does not count unread', () => {
    const { book } = makeBook();
    const c = book.open('PRIVATE', 2, { showName: 'b', headImage: '' });
    book.insert(c, [msg({ id: 1 })], ME, false);
    expect(c.unreadCount).toBe(0);
  });

  it('muted chats do not add to the badge', () => {
    const { book } = makeBook();
    const c = book.open('PRIVATE', 2, { showName: 'b', headImage: '', isDnd: true });
    book.insert(c, [msg({ id: 1 })], ME);
    expect(c.unreadCount).toBe(1);
    expect(totalUnread(book.list())).toBe(0);
  });

  it('sorts pinned chats first, then by last message time', () => {
    const { book } = makeBook();
    const a = book.open('PRIVATE', 2, { showName: 'a', headImage: '' });
    const b = book.open('PRIVATE', 3, { showName: 'b', headImage: '' });
    book.insert(a, [msg({ id: 1, sendTime: 100 })], ME);
    book.insert(b, [msg({ id: 2, sendTime: 200, sendId: 3 })], ME);
    expect(book.list().map((c) => c.showName)).toEqual(['b', 'a']);
    book.setPinned(a, true);
    expect(sortChats(Object.values(book.state.chats)).map((c) => c.showName)).toEqual(['a', 'b']);
  });

  it('open refreshes name and avatar but keeps them when the new info is empty', () => {
    const { book } = makeBook();
    const c = book.open('GROUP', 5, { showName: '5', headImage: '' });
    book.open('GROUP', 5, { showName: 'Team', headImage: 'h.png', isDnd: true });
    book.open('GROUP', 5, { showName: '', headImage: '', isDnd: null });
    expect([c.showName, c.headImage, c.isDnd]).toEqual(['Team', 'h.png', true]);
  });

  it('list preview: text, media placeholders, recall notices, group sender names', () => {
    const { book } = makeBook();
    const g = book.open('GROUP', 9, { showName: 'g', headImage: '' });
    book.insert(g, [msg({ id: 1, groupId: 9, sendNickName: 'bob', content: 'yo', sendTime: 50 })], ME);
    expect([g.lastContent, g.sendNickName, g.lastSendTime]).toEqual(['yo', 'bob', 50]);
    book.insert(
      g,
      [msg({ id: 2, groupId: 9, sendNickName: 'bob', type: MessageType.IMAGE, content: '{}' })],
      ME,
    );
    expect(g.lastContent).toBe('[image]');
    book.recall(g, 2);
    expect([g.lastContent, g.sendNickName]).toEqual(['[recalledOther:bob]', '']);
    book.insert(g, [msg({ id: 3, groupId: 9, type: MessageType.RECEIPT })], ME);
    expect(g.lastContent).toBe('[recalledOther:bob]');
    book.insert(g, [msg({ id: 4, sendId: ME, selfSend: true, content: 'mine' })], ME);
    expect([g.lastContent, g.sendNickName]).toEqual(['mine', '']);
  });

  it('peer receipts mark my messages READED, never the reverse', () => {
    const { book } = makeBook();
    const c = book.open('PRIVATE', 2, { showName: 'b', headImage: '' });
    book.insert(
      c,
      [msg({ id: 1, sendId: ME, selfSend: true }), msg({ id: 3, sendId: ME, selfSend: true })],
      ME,
    );
    book.markPeerRead(c, 2);
    expect(c.messages.map((m) => m.status)).toEqual([S.READED, S.PENDING]);
    book.insert(c, [msg({ id: 1, sendId: ME, selfSend: true, status: S.DELIVERED })], ME);
    expect(c.messages[0]!.status).toBe(S.READED);
  });

  it('an optimistic send is patched in place by tmpId and moves among the sent', () => {
    const { book } = makeBook();
    const c = book.open('PRIVATE', 2, { showName: 'b', headImage: '' });
    book.insert(c, [msg({ id: 5 })], ME);
    book.insert(
      c,
      [msg({ tmpId: 't1', status: S.SENDING, sendId: ME, selfSend: true, content: 'out' })],
      ME,
      false,
    );
    expect(c.lastContent).toBe('out');
    book.insert(c, [msg({ id: 7 })], ME);
    book.patch(c, { tmpId: 't1' }, { id: 6, status: S.PENDING });
    expect(c.messages.map((m) => m.id)).toEqual([5, 6, 7]);
    book.recall(c, 5);
    expect(c.messages[0]!.status).toBe(S.RECALL);
  });

  it('a recall turns the quotes of the original recalled, and a recalled quote is never undone', () => {
    const { book } = makeBook();
    const c = book.open('PRIVATE', 2, { showName: 'b', headImage: '' });
    const quote = { id: 1, sendId: 2, sendNickName: 'b', type: 0, content: 'orig', status: S.DELIVERED };
    book.insert(c, [msg({ id: 1, content: 'orig' }), msg({ id: 2, content: 're', quoteMessage: quote })], ME);
    book.recall(c, 1);
    expect(c.messages[1]!.quoteMessage).toEqual({ ...quote, content: '', status: S.RECALL });
    // a stale copy of the reply (e.g. a late live frame) keeps the recalled quote
    book.insert(c, [msg({ id: 2, content: 're', quoteMessage: quote })], ME);
    expect(c.messages[1]!.quoteMessage!.status).toBe(S.RECALL);
    // a history page that knows of the recall updates a reply loaded before it
    const d = book.open('PRIVATE', 3, { showName: 'c', headImage: '' });
    book.insert(d, [msg({ id: 5, content: 're', quoteMessage: { ...quote, id: 4 } })], ME);
    book.insert(d, [msg({ id: 5, content: 're', quoteMessage: { ...quote, id: 4, status: S.RECALL } })], ME);
    expect(d.messages[0]!.quoteMessage!.status).toBe(S.RECALL);
  });

  it('removes a message and a chat on this device only', () => {
    const { book } = makeBook();
    const c = book.open('PRIVATE', 2, { showName: 'b', headImage: '' });
    book.insert(c, [msg({ id: 1, content: 'one' }), msg({ id: 2, content: 'two' })], ME);
    book.removeMessage(c, c.messages[1]!);
    expect(c.lastContent).toBe('one');
    book.activate('PRIVATE-2');
    expect(book.active()).toBe(c);
    book.remove('PRIVATE-2');
    expect(book.get('PRIVATE', 2)).toBeUndefined();
    expect(book.active()).toBeNull();
  });
});

describe('ChatBook cache', () => {
  it('writes a moment after a change; restores; unsent messages come back FAILED', async () => {
    const kv = memoryStore();
    const { book, clock } = makeBook({ kv });
    await book.load(ME);
    const c = book.open('PRIVATE', 2, { showName: 'b', headImage: '' });
    book.insert(c, [msg({ id: 9 }), msg({ tmpId: 't', status: S.SENDING, sendId: ME, selfSend: true })], ME);
    book.setPinned(c, true);
    expect(await kv.get('chats-1')).toBeUndefined();
    expect(clock.pending()).toEqual([400]);
    clock.advance(400);
    await book.flush();

    const again = new ChatBook(createChatState(), {
      clock: new FakeClock(),
      kv,
      summarize: (m) => summarize(m, labels),
    });
    await again.load(ME);
    const back = again.get('PRIVATE', 2)!;
    expect(back.pinned).toBe(true);
    expect(back.messages.map((m) => m.status)).toEqual([S.PENDING, S.FAILED]);
    expect(again.state.privateMaxId).toBe(9);
    // another user's cache is separate
    await again.load(77);
    expect(again.list()).toEqual([]);
  });

  it('clear() forgets memory but keeps the cache; nothing is written after it', async () => {
    const kv = memoryStore();
    const { book, clock } = makeBook({ kv });
    await book.load(ME);
    book.insert(book.open('PRIVATE', 2, { showName: 'b', headImage: '' }), [msg({ id: 1 })], ME);
    await book.flush();
    book.insert(book.open('PRIVATE', 3, { showName: 'c', headImage: '' }), [msg({ id: 2, sendId: 3 })], ME);
    book.clear();
    expect(clock.pending()).toEqual([]);
    expect(book.list()).toEqual([]);
    expect((await kv.get<{ keys: string[] }>('chats-1'))!.keys).toEqual(['PRIVATE-2']);
  });

  it('with small-storage limits, caches the newest messages of the newest chats only', async () => {
    const kv = memoryStore();
    const { book } = makeBook({ kv, limits: { perChat: 3, total: 4 } });
    await book.load(ME);
    const old = book.open('PRIVATE', 2, { showName: 'old', headImage: '' });
    book.insert(
      old,
      [1, 2, 3].map((id) => msg({ id, sendTime: id })),
      ME,
    );
    await book.flush();
    const fresh = book.open('PRIVATE', 3, { showName: 'new', headImage: '' });
    book.insert(
      fresh,
      [10, 11, 12, 13, 14].map((id) => msg({ id, sendId: 3, sendTime: id })),
      ME,
    );
    await book.flush();
    expect(old.messages).toHaveLength(3); // memory keeps everything for this session
    const again = makeBook({ kv }).book;
    await again.load(ME);
    expect(again.get('PRIVATE', 3)!.messages.map((m) => m.id)).toEqual([12, 13, 14]);
    expect(again.get('PRIVATE', 2)!.messages.map((m) => m.id)).toEqual([3]);
  });
});
