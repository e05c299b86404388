import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { MessageStatus as S, MessageType } from '@box-im/im-common';
import { useChatStore } from '../../src/stores/chat';
import { memoryStore } from '../../src/lib/cache';
import type { ChatMessage } from '../../src/lib/types';

const ME = 1;
const msg = (p: Partial<ChatMessage>): ChatMessage => ({
  sendId: 2,
  content: 'hi',
  type: MessageType.TEXT,
  status: S.PENDING,
  sendTime: 1000,
  selfSend: false,
  ...p,
});

describe('chat store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('counts unread for new incoming messages only, and @me / @all markers', () => {
    const store = useChatStore();
    const c = store.open('GROUP', 10, { showName: 'g', headImage: '' });
    store.insert(c, [msg({ id: 1, groupId: 10 }), msg({ id: 2, groupId: 10, atUserIds: [ME] })], ME);
    expect(c.unreadCount).toBe(2);
    expect(c.atMe).toBe(true);
    expect(c.atAll).toBe(false);
    // duplicates (e.g. live frame replayed after the pull) do not count twice
    store.insert(c, [msg({ id: 2, groupId: 10 })], ME);
    expect(c.unreadCount).toBe(2);
    store.insert(c, [msg({ id: 3, groupId: 10, atUserIds: [-1] })], ME);
    expect(c.atAll).toBe(true);
    // own messages, tips and already-read ones do not count
    store.insert(
      c,
      [
        msg({ id: 4, sendId: ME, selfSend: true }),
        msg({ id: 5, type: MessageType.TIP_TEXT }),
        msg({ id: 6, status: S.READED }),
      ],
      ME,
    );
    expect(c.unreadCount).toBe(3);
    expect(store.totalUnread).toBe(3);
    store.resetUnread(c);
    expect(c.unreadCount).toBe(0);
    expect(c.atMe).toBe(false);
    expect(store.groupMaxId).toBe(6);
  });

  it('DND chats do not add to the total badge', () => {
    const store = useChatStore();
    const c = store.open('PRIVATE', 2, { showName: 'b', headImage: '', isDnd: true });
    store.insert(c, [msg({ id: 1 })], ME);
    expect(c.unreadCount).toBe(1);
    expect(store.totalUnread).toBe(0);
  });

  it('sorts pinned chats first, then by last message time', () => {
    const store = useChatStore();
    const a = store.open('PRIVATE', 2, { showName: 'a', headImage: '' });
    const b = store.open('PRIVATE', 3, { showName: 'b', headImage: '' });
    store.insert(a, [msg({ id: 1, sendTime: 100 })], ME);
    store.insert(b, [msg({ id: 2, sendTime: 200, sendId: 3 })], ME);
    expect(store.list.map((c) => c.showName)).toEqual(['b', 'a']);
    store.setPinned(a, true);
    expect(store.list.map((c) => c.showName)).toEqual(['a', 'b']);
  });

  it('peer receipts mark my messages READED, never the reverse', () => {
    const store = useChatStore();
    const c = store.open('PRIVATE', 2, { showName: 'b', headImage: '' });
    store.insert(
      c,
      [msg({ id: 1, sendId: ME, selfSend: true }), msg({ id: 3, sendId: ME, selfSend: true })],
      ME,
    );
    store.markPeerRead(c, 2);
    expect(c.messages.map((m) => m.status)).toEqual([S.READED, S.PENDING]);
    store.insert(c, [msg({ id: 1, sendId: ME, selfSend: true, status: S.DELIVERED })], ME);
    expect(c.messages[0]!.status).toBe(S.READED);
  });

  it('optimistic send is patched in place by tmpId; recall marks the original', () => {
    const store = useChatStore();
    const c = store.open('PRIVATE', 2, { showName: 'b', headImage: '' });
    store.insert(c, [msg({ id: 5 })], ME);
    store.insert(c, [msg({ tmpId: 't1', status: S.SENDING, sendId: ME, selfSend: true })], ME, false);
    expect(c.lastContent).toBe('hi');
    store.patch(c, { tmpId: 't1' }, { id: 6, status: S.PENDING });
    expect(c.messages.map((m) => m.id)).toEqual([5, 6]);
    store.recall(c, 5);
    expect(c.messages[0]!.status).toBe(S.RECALL);
  });

  it('persists to the cache and restores; unsent messages come back as FAILED', async () => {
    const kv = memoryStore();
    let store = useChatStore();
    await store.load(ME, kv);
    const c = store.open('PRIVATE', 2, { showName: 'b', headImage: '' });
    store.insert(c, [msg({ id: 9 }), msg({ tmpId: 't', status: S.SENDING, sendId: ME, selfSend: true })], ME);
    store.setPinned(c, true);
    await store.flush();

    setActivePinia(createPinia());
    store = useChatStore();
    await store.load(ME, kv);
    const back = store.get('PRIVATE', 2)!;
    expect(back.pinned).toBe(true);
    expect(back.messages.map((m) => m.status)).toEqual([S.PENDING, S.FAILED]);
    expect(store.privateMaxId).toBe(9);
  });

  it('removes a chat and a single message locally', () => {
    const store = useChatStore();
    const c = store.open('PRIVATE', 2, { showName: 'b', headImage: '' });
    store.insert(c, [msg({ id: 1, content: 'one' }), msg({ id: 2, content: 'two' })], ME);
    store.removeMessage(c, c.messages[1]!);
    expect(c.lastContent).toBe('one');
    store.activate('PRIVATE-2');
    store.remove('PRIVATE-2');
    expect(store.get('PRIVATE', 2)).toBeUndefined();
    expect(store.active).toBeNull();
  });
});

describe('auto retry after reconnect', () => {
  it('picks recent network failures only', async () => {
    const { autoRetryable } = await import('../../src/composables/send');
    const now = 1_000_000;
    const list: ChatMessage[] = [
      msg({ tmpId: 'a', status: S.FAILED, netFail: true, sendTime: now - 1000 }),
      msg({ tmpId: 'b', status: S.FAILED, netFail: false, sendTime: now - 1000 }),
      msg({ tmpId: 'c', status: S.FAILED, netFail: true, sendTime: now - 11 * 60_000 }),
      msg({ id: 4, status: S.PENDING, netFail: true, sendTime: now }),
      msg({
        tmpId: 'e',
        status: S.FAILED,
        netFail: true,
        type: MessageType.IMAGE,
        content: '{"originUrl":"blob:http://x/1"}',
        sendTime: now,
      }),
      msg({
        tmpId: 'f',
        status: S.FAILED,
        netFail: true,
        type: MessageType.IMAGE,
        content: '{"originUrl":"/f/1.png"}',
        sendTime: now,
      }),
    ];
    expect(autoRetryable(list, now).map((m) => m.tmpId)).toEqual(['a', 'f']);
  });
});
