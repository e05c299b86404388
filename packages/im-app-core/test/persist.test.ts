import { describe, expect, it } from 'vitest';
import { ChatPersister, memoryStore, mergeMessages, newChat, PAGE_SIZE, type ChatMessage } from '../src';
import { countingStore } from './helpers';

const msg = (id: number): ChatMessage => ({
  id,
  sendId: 2,
  content: `m${id}`,
  type: 0,
  status: 0,
  sendTime: id,
  selfSend: false,
});

describe('ChatPersister', () => {
  it('rewrites only the pages from the first changed message', async () => {
    const { writes, store, kv } = countingStore();
    const p = new ChatPersister(store, 1);
    const chat = newChat('PRIVATE', 2, { showName: 'b', headImage: '' });
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
    expect(back.chats[0]!.messages[1200]!.content).toBe('m1201');
  });

  it('never caches local previews', async () => {
    const kv = memoryStore();
    const p = new ChatPersister(kv, 1);
    const chat = newChat('PRIVATE', 2, { showName: 'b', headImage: '' });
    chat.messages = [{ ...msg(1), localUrl: 'blob:x' }];
    await p.writeChat('PRIVATE-2', chat);
    expect(await kv.get('chat-1-PRIVATE-2-p0')).toEqual([msg(1)]);
  });

  it('drops pages no longer needed and removes a chat entirely', async () => {
    const kv = memoryStore();
    const p = new ChatPersister(kv, 1);
    const chat = newChat('GROUP', 5, { showName: 'g', headImage: '' });
    chat.messages = Array.from({ length: 900 }, (_, i) => msg(i + 1));
    await p.writeChat('GROUP-5', chat);
    chat.messages = chat.messages.slice(0, 10);
    await p.writeChat('GROUP-5', chat);
    expect(await kv.get('chat-1-GROUP-5-p1')).toBeUndefined();
    await p.removeChat('GROUP-5');
    expect(await kv.get('chat-1-GROUP-5')).toBeUndefined();
    expect(await kv.get('chat-1-GROUP-5-p0')).toBeUndefined();
  });

  it('compares unwrapped objects (a host proxy does not force full rewrites)', async () => {
    const { writes, store } = countingStore();
    const raw = new WeakMap<object, object>();
    const wrap = <T extends object>(o: T): T => {
      const proxy = new Proxy(o, {});
      raw.set(proxy, o);
      return proxy;
    };
    const unwrap = <T>(v: T): T => ((typeof v === 'object' && v && raw.get(v)) || v) as T;
    const p = new ChatPersister(store, 1, unwrap);
    const list = Array.from({ length: 600 }, (_, i) => msg(i + 1));
    const chat = newChat('PRIVATE', 2, { showName: 'b', headImage: '' });
    chat.messages = wrap(list.map(wrap));
    await p.writeChat('PRIVATE-2', wrap(chat));
    writes.length = 0;
    chat.messages = wrap([...list, msg(601)].map(wrap));
    await p.writeChat('PRIVATE-2', wrap(chat));
    expect(writes).toEqual(['chat-1-PRIVATE-2-p1', 'chat-1-PRIVATE-2']);
  });
});
