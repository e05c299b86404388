import { describe, expect, it, vi } from 'vitest';
import { MessageType as T, type GroupMessageVO, type PrivateMessageVO } from '@box-im/im-common';
import {
  canForward,
  canQuote,
  ClientStatus,
  FORWARD_MAX_TARGETS,
  forwardMessages,
  highlight,
  hitChat,
  hitMessage,
  loadUntil,
  nestedRecord,
  parseRecord,
  quoteAsMessage,
  quoteLine,
  quoteOf,
  quoteRecalled,
  recordItemMessage,
  recordTitle,
  SearchPager,
  shownCountFor,
  summarize,
  toggleId,
  toggleTarget,
  type SearchHit,
} from '../src';
import { friendVO, gm, groupVO, labels, makeBook, ME, memoryContacts, msg, pm } from './helpers';

describe('quotes', () => {
  it('quotes sent user messages only, named as the chat shows the sender', () => {
    const m = msg({ id: 5, sendId: 2, content: '你好' });
    expect(quoteOf(m, 'Bob')).toEqual({
      id: 5,
      sendId: 2,
      sendNickName: 'Bob',
      type: T.TEXT,
      content: '你好',
      status: ClientStatus.PENDING,
    });
    expect(quoteOf({ ...m, sendNickName: 'bob in group' }, 'Bob')?.sendNickName).toBe('bob in group');
    expect(canQuote({ ...m, id: undefined })).toBe(false);
    expect(canQuote({ ...m, status: ClientStatus.RECALL })).toBe(false);
    expect(quoteOf({ ...m, type: T.TIP_TEXT }, 'Bob')).toBeNull();
    expect(canQuote({ ...m, type: T.ACT_RT_VOICE })).toBe(false);
  });

  it('previews a quote like a message and knows a recalled original', () => {
    const q = quoteOf(msg({ id: 5, type: T.IMAGE, content: '{}' }), 'Bob')!;
    expect(summarize(quoteAsMessage(q), labels)).toBe('[image]');
    expect(quoteRecalled(q)).toBe(false);
    expect(quoteRecalled({ ...q, status: ClientStatus.RECALL, content: '' })).toBe(true);
    const line = (x: typeof q) => quoteLine(x, (m) => summarize(m, labels), 'recalled');
    expect(line(q)).toBe(`${q.sendNickName}: [image]`);
    expect(line({ ...q, status: ClientStatus.RECALL, content: '' })).toBe('recalled');
  });
});

describe('chat records', () => {
  const item = (content: string, type: number = T.TEXT) => ({
    sendId: 2,
    sendNickName: 'Bob',
    type,
    content,
    sendTime: 7,
  });
  const inner = { chatType: 'GROUP' as const, names: ['开发组'], items: [item('深处')] };
  const outer = {
    chatType: 'PRIVATE' as const,
    names: ['Alice', 'Bob'],
    items: [item('一'), item(JSON.stringify(inner), T.CHAT_RECORD)],
  };

  it('parses a record and refuses anything else', () => {
    expect(parseRecord(JSON.stringify(outer))?.items).toHaveLength(2);
    expect(parseRecord('not json')).toBeNull();
    expect(parseRecord('{"names":[]}')).toBeNull();
    expect(parseRecord('null')).toBeNull();
  });

  it('titles private records by both users and group records by the group', () => {
    expect(recordTitle(outer)).toEqual({ group: false, names: 'Alice、Bob' });
    expect(recordTitle(outer, ' & ')).toEqual({ group: false, names: 'Alice & Bob' });
    expect(recordTitle(inner)).toEqual({ group: true, names: '开发组' });
  });

  it('turns items into read-only messages and follows nested records', () => {
    expect(recordItemMessage(outer.items[0]!)).toMatchObject({
      sendId: 2,
      sendNickName: 'Bob',
      content: '一',
      sendTime: 7,
      selfSend: false,
      status: ClientStatus.DELIVERED,
    });
    expect(nestedRecord(outer, [])).toBe(outer);
    expect(nestedRecord(outer, [1])?.items[0]?.content).toBe('深处');
    expect(nestedRecord(outer, [0])).toBeNull();
    expect(nestedRecord(outer, [5])).toBeNull();
  });
});

describe('search', () => {
  const p = (id: number, sendId: number, recvId: number): SearchHit => pm({ id, sendId, recvId });
  const g = (id: number, groupId: number): SearchHit => gm({ id, groupId });

  it('finds the chat of a hit from my side', () => {
    expect(hitChat(p(1, ME, 4), ME)).toEqual({ type: 'PRIVATE', targetId: 4 });
    expect(hitChat(p(1, 4, ME), ME)).toEqual({ type: 'PRIVATE', targetId: 4 });
    expect(hitChat(g(1, 9), ME)).toEqual({ type: 'GROUP', targetId: 9 });
    expect(hitMessage(p(1, ME, 4), ME)).toMatchObject({ id: 1, selfSend: true, recvId: 4 });
    expect(hitMessage(g(3, 9), ME)).toMatchObject({ id: 3, groupId: 9, selfSend: false });
  });

  it('marks every occurrence, Latin letters case-insensitive, Chinese as is', () => {
    expect(highlight('今天天气好，天气真好', '天气')).toEqual([
      { text: '今天', hit: false },
      { text: '天气', hit: true },
      { text: '好，', hit: false },
      { text: '天气', hit: true },
      { text: '真好', hit: false },
    ]);
    expect(highlight('Hello HELLO', 'hello')).toEqual([
      { text: 'Hello', hit: true },
      { text: ' ', hit: false },
      { text: 'HELLO', hit: true },
    ]);
    expect(highlight('100%', '%')).toEqual([
      { text: '100', hit: false },
      { text: '%', hit: true },
    ]);
    expect(highlight('abc', '  ')).toEqual([{ text: 'abc', hit: false }]);
    expect(highlight('aaa', 'aa')).toEqual([
      { text: 'aa', hit: true },
      { text: 'a', hit: false },
    ]);
  });

  it('pages as the server pages, skips repeats and stops at a short page', async () => {
    const pages: SearchHit[][] = [[p(10, 4, ME), g(10, 7)], [g(10, 7), p(8, 4, ME)], [p(3, 4, ME)]];
    const searchMessages = vi.fn(({ page }: { page?: number }) => Promise.resolve(pages[(page ?? 1) - 1]!));
    const pager = new SearchPager({ searchMessages }, { keyword: ' 天气 ', chatType: 'PRIVATE' }, 2);
    const [a, b] = [pager.more(), pager.more()];
    expect(await a).toHaveLength(2);
    expect(await b).toBe(await a);
    expect(searchMessages).toHaveBeenCalledTimes(1);
    expect(searchMessages).toHaveBeenCalledWith({ keyword: '天气', chatType: 'PRIVATE', page: 1, size: 2 });
    expect((await pager.more()).map((h) => h.id)).toEqual([8]);
    expect(pager.done).toBe(false);
    await pager.more();
    expect(pager.done).toBe(true);
    expect(await pager.more()).toEqual([]);
    expect(pager.hits.map((h) => h.id)).toEqual([10, 10, 8, 3]);
    expect(searchMessages).toHaveBeenCalledTimes(3);
  });

  it('asks nothing for a blank keyword and never more than the server allows', async () => {
    const searchMessages = vi.fn(() => Promise.resolve([] as SearchHit[]));
    const blank = new SearchPager({ searchMessages }, { keyword: '  ' });
    expect(blank.done).toBe(true);
    expect(await blank.more()).toEqual([]);
    expect(searchMessages).not.toHaveBeenCalled();
    await new SearchPager({ searchMessages }, { keyword: 'x' }, 500).more();
    expect(searchMessages).toHaveBeenCalledWith({ keyword: 'x', page: 1, size: 50 });
  });
});

describe('forward', () => {
  it('forwards sent user messages and records only', () => {
    expect(canForward(msg({ id: 1 }))).toBe(true);
    expect(canForward(msg({ id: 1, type: T.CHAT_RECORD }))).toBe(true);
    expect(canForward(msg({}))).toBe(false);
    expect(canForward(msg({ id: 1, status: ClientStatus.RECALL }))).toBe(false);
    expect(canForward(msg({ id: 1, type: T.TIP_TEXT }))).toBe(false);
  });

  it('toggles selections and targets within the server limits', () => {
    expect(toggleId([1, 2], 2)).toEqual([1]);
    expect(toggleId([1], 3)).toEqual([1, 3]);
    expect(toggleId([1, 2], 3, 2)).toEqual([1, 2]);
    let targets: { type: 'PRIVATE' | 'GROUP'; targetId: number }[] = [];
    for (let i = 0; i < FORWARD_MAX_TARGETS + 2; i++)
      targets = toggleTarget(targets, { type: 'GROUP', targetId: i });
    expect(targets).toHaveLength(FORWARD_MAX_TARGETS);
    targets = toggleTarget(targets, { type: 'GROUP', targetId: 0 });
    expect(targets).toHaveLength(FORWARD_MAX_TARGETS - 1);
    expect(toggleTarget(targets, { type: 'PRIVATE', targetId: 1 })).toHaveLength(FORWARD_MAX_TARGETS);
  });

  it('sends the ids oldest first and puts what was sent into the target chats, opening them', async () => {
    const { book } = makeBook();
    const contacts = memoryContacts();
    contacts.upsertFriend(friendVO(4, 'Dora'));
    contacts.upsertGroup(groupVO(7, '开发组'));
    const sent: { privateMessages: PrivateMessageVO[]; groupMessages: GroupMessageVO[] } = {
      privateMessages: [pm({ id: 50, sendId: ME, recvId: 4, type: T.CHAT_RECORD, content: '{}' })],
      groupMessages: [gm({ id: 60, groupId: 7, sendId: ME, type: T.CHAT_RECORD, content: '{}' })],
    };
    const forward = vi.fn(() => Promise.resolve(sent));
    const n = await forwardMessages(
      { api: { forward }, book, contacts, me: ME },
      { type: 'GROUP' },
      [30, 10, 20],
      [
        { type: 'PRIVATE', targetId: 4 },
        { type: 'GROUP', targetId: 7 },
      ],
      true,
    );
    expect(n).toBe(2);
    expect(forward).toHaveBeenCalledWith({
      sourceType: 'GROUP',
      messageIds: [10, 20, 30],
      merged: true,
      targets: [
        { type: 'PRIVATE', targetId: 4 },
        { type: 'GROUP', targetId: 7 },
      ],
    });
    expect(book.get('PRIVATE', 4)).toMatchObject({
      showName: 'Dora',
      unreadCount: 0,
      lastContent: '[record]',
    });
    expect(book.get('PRIVATE', 4)!.messages[0]).toMatchObject({ id: 50, selfSend: true });
    expect(book.get('GROUP', 7)).toMatchObject({ showName: '开发组', unreadCount: 0 });
    expect(
      await forwardMessages({ api: { forward }, book, contacts, me: ME }, { type: 'GROUP' }, [], [], false),
    ).toBe(0);
    expect(forward).toHaveBeenCalledTimes(1);
  });
});

describe('loading history until a message is there', () => {
  /** A private history of ids 1..total, pages newest first as the server answers. */
  function history(total: number) {
    const historyPrivate = vi.fn((peer: number, page: number, size: number) => {
      const hi = total - (page - 1) * size;
      const ids = Array.from({ length: Math.max(0, Math.min(size, hi)) }, (_, i) => hi - i);
      return Promise.resolve(
        ids.map((id) => pm({ id, sendId: peer, recvId: ME, status: ClientStatus.READED })),
      );
    });
    const historyGroup = vi.fn(() => Promise.resolve([] as GroupMessageVO[]));
    return { historyPrivate, historyGroup };
  }

  it('pages back until the message is in the chat, then stops', async () => {
    const { book } = makeBook();
    const chat = book.open('PRIVATE', 4, { showName: 'Dora', headImage: '' });
    const api = history(100);
    expect(await loadUntil(api, book, chat, 35, ME, { size: 20 })).toBe(true);
    expect(api.historyPrivate).toHaveBeenCalledTimes(4); // 100..81, 80..61, 60..41, 40..21
    expect(chat.messages[0]!.id).toBe(21);
    expect(chat.unreadCount).toBe(0);
    expect(shownCountFor(chat, 35)).toBe(100 - 35 + 1);
    expect(shownCountFor(chat, 3)).toBe(0);
    // already there: no request
    expect(await loadUntil(api, book, chat, 90, ME, { size: 20 })).toBe(true);
    expect(api.historyPrivate).toHaveBeenCalledTimes(4);
  });

  it('gives up after the bound, at the end of the history, or past a missing id', async () => {
    const { book } = makeBook();
    const api = history(1000);
    const chat = book.open('PRIVATE', 4, { showName: 'Dora', headImage: '' });
    expect(await loadUntil(api, book, chat, 5, ME, { size: 10, maxPages: 3 })).toBe(false);
    expect(api.historyPrivate).toHaveBeenCalledTimes(3);

    const short = history(15);
    const c2 = makeBook().book;
    const chat2 = c2.open('PRIVATE', 4, { showName: 'Dora', headImage: '' });
    expect(await loadUntil(short, c2, chat2, 99, ME, { size: 10 })).toBe(false);
    // 15..6 reaches no lower than 6 < 99: one page is enough to know it is not there
    expect(short.historyPrivate).toHaveBeenCalledTimes(1);
  });
});
