import { describe, expect, it, vi } from 'vitest';
import { MessageType as T } from '@box-im/im-common';
import { FrameRouter } from '../src';
import { friendVO, makeBook, ME, memoryContacts, pm } from './helpers';

const PEER = 2;
const pref = (over: object = {}) => ({
  chatType: 'PRIVATE' as const,
  chatId: PEER,
  pinned: true,
  draft: '',
  updatedTime: 1,
  ...over,
});

function setup() {
  const { book } = makeBook();
  const contacts = memoryContacts();
  contacts.upsertFriend(friendVO(PEER, 'Bob'));
  const api = { readPrivate: vi.fn(() => Promise.resolve(null)), readGroup: vi.fn() };
  const router = new FrameRouter({ book, contacts, api, me: () => ME, isWatching: () => false, events: {} });
  return { book, router };
}

describe('pinned chats and drafts from the server', () => {
  it('a CHAT_PREF frame of mine pins the chat and sets its draft, opening it if needed', () => {
    const { book, router } = setup();
    const frame = (p: object) =>
      pm({ id: 0, sendId: ME, recvId: ME, type: T.CHAT_PREF, content: JSON.stringify(pref(p)) });
    router.privateMessage(frame({ draft: '草稿' }), true);
    const chat = book.get('PRIVATE', PEER)!;
    expect(chat).toMatchObject({ showName: 'Bob', pinned: true, draft: '草稿' });
    expect(chat.messages).toEqual([]);
    router.privateMessage(frame({ pinned: false, draft: '' }), true);
    expect(chat).toMatchObject({ pinned: false, draft: '' });
    // a pref of nothing for an unknown chat opens nothing
    router.privateMessage(frame({ chatId: 9, pinned: false }), true);
    expect(book.get('PRIVATE', 9)).toBeUndefined();
  });

  it('the full list is the truth: chats not in it lose their pin and draft', () => {
    const { book, router } = setup();
    router.privateMessage(pm({ id: 1, sendId: 3, recvId: ME }), false);
    const other = book.get('PRIVATE', 3)!;
    book.setPinned(other, true);
    book.setDraft(other, 'old');
    router.chatPrefs([pref({ draft: 'x' })]);
    expect(other).toMatchObject({ pinned: false, draft: '' });
    expect(book.get('PRIVATE', PEER)).toMatchObject({ pinned: true, draft: 'x' });
    expect(book.list()[0]!.targetId).toBe(PEER);
  });
});
