/**
 * Chat persistence in pages of 500 messages. A flush rewrites only the pages from the
 * first message that changed since the last flush (found by identity, O(n) pointer
 * compares), so a new message in a 10,000-message chat writes one small page, not all.
 *
 * Keys: `chats-<uid>` → {privateMaxId, groupMaxId, keys}; `chat-<uid>-<key>` → chat
 * header (no messages) + `pages`; `chat-<uid>-<key>-p<N>` → messages of page N.
 */
import { toRaw } from 'vue';
import { MessageStatus } from '@box-im/im-common';
import type { KvStore } from '../lib/cache';
import type { Chat, ChatMessage } from '../lib/types';

export const PAGE_SIZE = 500;

export interface Meta {
  privateMaxId: number;
  groupMaxId: number;
  keys: string[];
}
type Header = Omit<Chat, 'messages'> & { pages: number };

const plain = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

export class ChatPersister {
  /** Per chat key: the raw message objects as of the last write, and the page count. */
  private saved = new Map<string, { list: ChatMessage[]; pages: number }>();

  constructor(
    private readonly kv: KvStore,
    private readonly owner: number,
  ) {}

  private base(key: string) {
    return `chat-${this.owner}-${key}`;
  }

  async writeMeta(meta: Meta): Promise<void> {
    await this.kv.set(`chats-${this.owner}`, meta);
  }

  async writeChat(key: string, chat: Chat): Promise<void> {
    const raw = toRaw(chat);
    const list = toRaw(raw.messages).map((m) => toRaw(m));
    const prev = this.saved.get(key) ?? { list: [], pages: 0 };
    let first = 0;
    while (first < prev.list.length && first < list.length && prev.list[first] === list[first]) first++;
    const pages = Math.ceil(list.length / PAGE_SIZE);
    const from = first === list.length && pages === prev.pages ? pages : Math.floor(first / PAGE_SIZE);
    for (let p = from; p < pages; p++) {
      const page = list.slice(p * PAGE_SIZE, (p + 1) * PAGE_SIZE).map(({ localUrl: _l, ...m }) => m);
      await this.kv.set(`${this.base(key)}-p${p}`, plain(page));
    }
    for (let p = pages; p < prev.pages; p++) await this.kv.del(`${this.base(key)}-p${p}`);
    const { messages: _m, ...header } = raw;
    await this.kv.set(this.base(key), plain({ ...header, pages } satisfies Header));
    this.saved.set(key, { list, pages });
  }

  async removeChat(key: string): Promise<void> {
    const prev = this.saved.get(key);
    const header = prev ? null : await this.kv.get<Header>(this.base(key));
    const pages = prev?.pages ?? header?.pages ?? 0;
    for (let p = 0; p < pages; p++) await this.kv.del(`${this.base(key)}-p${p}`);
    await this.kv.del(this.base(key));
    this.saved.delete(key);
  }

  /** Load everything; messages left SENDING by a closed page come back FAILED. */
  async load(): Promise<{ meta: Meta | undefined; chats: Chat[] }> {
    const meta = await this.kv.get<Meta>(`chats-${this.owner}`);
    if (!meta) return { meta, chats: [] };
    const chats = await Promise.all(
      meta.keys.map(async (key) => {
        const header = await this.kv.get<Header>(this.base(key));
        if (!header) return null;
        const pages = await Promise.all(
          Array.from({ length: header.pages ?? 0 }, (_, p) =>
            this.kv.get<ChatMessage[]>(`${this.base(key)}-p${p}`),
          ),
        );
        const messages = pages
          .flatMap((p) => p ?? [])
          .map((m) => (m.status === MessageStatus.SENDING ? { ...m, status: MessageStatus.FAILED } : m));
        const { pages: count, ...rest } = header;
        const chat: Chat = { ...rest, messages };
        this.saved.set(key, { list: messages, pages: count ?? 0 });
        return chat;
      }),
    );
    return { meta, chats: chats.filter((c): c is Chat => c !== null) };
  }
}
