import { describe, expect, it } from 'vitest';
import { reactive } from 'vue';
import { MessageStatus as S } from '@box-im/im-common';
import { memoryStore, type KvStore } from '../../src/lib/cache';
import { mergeMessages } from '../../src/lib/merge';
import { ChatPersister, PAGE_SIZE } from '../../src/stores/chat-persist';
import { newChat } from '../../src/stores/chat';
import type { ChatMessage } from '../../src/lib/types';

function counting(kv: KvStore) {
  const writes: string[] = [];
  return {
    writes,
    store: { ...kv, set: (k: string, v: unknown) => (writes.push(k), kv.set(k, v)) } as KvStore,
  };
}
const msg = (id: number): ChatMessage => ({
  id,
  sendId: 2,
  content: `m${id}`,
  type: 0,
  status: S.PENDING,
  sendTime: id,
  selfSend: false,
});

describe('ChatPersister', () => {
  it('rewrites only the pages from the first changed message', async () => {
    const kv = memoryStore();
    const { writes, store } = counting(kv);
    const p = new ChatPersister(store, 1);
    const chat = reactive(newChat('PRIVATE', 2, { showName: 'b', headImage: '' }));
    chat.messages = Array.from({ length: 1200 }, (_, i) => msg(i + 1));
    await p.writeChat('PRIVATE-2', chat);
    expect(writes.filter((k) => k.includes('-p'))).toHaveLength(3);

    writes.length = 0;
    chat.messages = mergeMessages(chat.messages, [msg(1201)]);
    await p.writeChat('PRIVATE-2', chat);
    expect(writes).toEqual([`chat-1-PRIVATE-2-p${Math.floor(1200 / PAGE_SIZE)}`, 'chat-1-PRIVATE-2']);

    writes.length = 0;
    chat.unreadCount = 3;
    await p.writeChat('PRIVATE-2', chat);
    expect(writes).toEqual(['chat-1-PRIVATE-2']);

    await p.writeMeta({ privateMaxId: 1201, groupMaxId: 0, keys: ['PRIVATE-2'] });
    const back = await new ChatPersister(kv, 1).load();
    expect(back.chats[0]!.messages).toHaveLength(1201);
    expect(back.chats[0]!.unreadCount).toBe(3);
    expect(back.chats[0]!.messages.at(-1)!.content).toBe('m1201');
  });

  it('drops pages that are no longer needed and removes a chat entirely', async () => {
    const kv = memoryStore();
    const p = new ChatPersister(kv, 1);
    const chat = reactive(newChat('GROUP', 5, { showName: 'g', headImage: '' }));
    chat.messages = Array.from({ length: 900 }, (_, i) => msg(i + 1));
    await p.writeChat('GROUP-5', chat);
    chat.messages = chat.messages.slice(0, 10);
    await p.writeChat('GROUP-5', chat);
    expect(await kv.get('chat-1-GROUP-5-p1')).toBeUndefined();
    await p.removeChat('GROUP-5');
    expect(await kv.get('chat-1-GROUP-5')).toBeUndefined();
    expect(await kv.get('chat-1-GROUP-5-p0')).toBeUndefined();
  });
});
