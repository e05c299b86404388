/**
 * The Pinia chat store is the core's ChatBook over reactive state: views follow every change,
 * and the cache compares raw (unproxied) messages. The chat rules are tested in the core.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { computed, nextTick, watch } from 'vue';
import { MessageType } from '@box-im/im-common';
import { ClientStatus as S, memoryStore, type ChatMessage, type KvStore } from '@box-im/im-app-core';
import { useChatStore } from '../../src/stores/chat';
import { t } from '../../src/i18n';

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

  it('views follow the book: list, unread badge, previews in the UI language', async () => {
    const store = useChatStore();
    const seen: number[] = [];
    watch(
      () => store.totalUnread,
      (n) => seen.push(n),
    );
    const names = computed(() => store.list.map((c) => `${c.showName}:${c.lastContent}`));
    const c = store.open('PRIVATE', 2, { showName: 'bob', headImage: '' });
    store.insert(c, [msg({ id: 1 })], ME);
    await nextTick();
    store.insert(c, [msg({ id: 2, type: MessageType.IMAGE, content: '{}' })], ME);
    await nextTick();
    expect(seen).toEqual([1, 2]);
    expect(names.value).toEqual([`bob:${t('msg.image')}`]);
    store.setDnd('PRIVATE', 2, true);
    await nextTick();
    expect(store.totalUnread).toBe(0);
    store.book.activate('PRIVATE-2');
    expect(store.active?.targetId).toBe(2);
  });

  it('persists through the cache and restores; unsent messages come back FAILED', async () => {
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

  it('a new message in a big reactive chat rewrites one cache page, not all of them', async () => {
    const writes: string[] = [];
    const mem = memoryStore();
    const kv: KvStore = { ...mem, set: (k, v) => (writes.push(k), mem.set(k, v)) };
    const store = useChatStore();
    await store.load(ME, kv);
    const c = store.open('GROUP', 5, { showName: 'g', headImage: '' });
    store.insert(
      c,
      Array.from({ length: 1200 }, (_, i) => msg({ id: i + 1, groupId: 5 })),
      ME,
    );
    await store.flush();
    writes.length = 0;
    store.insert(c, [msg({ id: 1201, groupId: 5 })], ME);
    await store.flush();
    expect(writes).toEqual(['chat-1-GROUP-5-p2', 'chat-1-GROUP-5', 'chats-1']);
  });
});
