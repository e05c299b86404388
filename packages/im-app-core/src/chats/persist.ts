/**
 * Chat cache in pages of 500 messages. A write rewrites only the pages from the first message
 * that changed since the last write (found by identity, O(n) pointer compares), so a new
 * message in a 10,000-message chat writes one small page, not all of them.
 *
 * Keys (per user, `<key>` = `PRIVATE-7` / `GROUP-3`): `chats-<uid>` → {@link Meta};
 * `chat-<uid>-<key>` → the chat without messages + `pages`; `chat-<uid>-<key>-p<N>` → page N.
 */
import type { KvStore } from '../platform';
import { ClientStatus } from '../model/status';
import type { Chat, ChatMessage } from '../model/types';

export const PAGE_SIZE = 500;

export interface Meta {
  /** Largest private / group message id received: where the next offline pull starts. */
  privateMaxId: number;
  groupMaxId: number;
  /** Chat keys, so loading knows what to read. */
  keys: string[];
}

type Header = Omit<Chat, 'messages'> & { pages: number };

/** Strips a host's reactive wrappers (Vue's `toRaw`); identity by default. */
export type Unwrap = <T>(value: T) => T;

const plain = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const same: Unwrap = (v) => v;

export class ChatPersister {
  /** Per chat key: the raw message objects as of the last write, and the page count. */
  private saved = new Map<string, { list: ChatMessage[]; pages: number }>();

  constructor(
    private readonly kv: KvStore,
    private readonly owner: number,
    private readonly unwrap: Unwrap = same,
  ) {}

  private base(key: string): string {
    return `chat-${this.owner}-${key}`;
  }

  async writeMeta(meta: Meta): Promise<void> {
    await this.kv.set(`chats-${this.owner}`, plain(meta));
  }

  /** Write a chat; with `keep`, only its newest `keep` messages are cached. */
  async writeChat(key: string, chat: Chat, keep?: number): Promise<void> {
    const raw = this.unwrap(chat);
    let list = this.unwrap(raw.messages).map((m) => this.unwrap(m));
    if (keep !== undefined && list.length > keep) list = list.slice(list.length - keep);
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

  /** How many messages of this chat the cache holds (as far as this persister wrote or read). */
  cachedCount(key: string): number {
    return this.saved.get(key)?.list.length ?? 0;
  }

  async removeChat(key: string): Promise<void> {
    const prev = this.saved.get(key);
    const header = prev ? null : await this.kv.get<Header>(this.base(key));
    const pages = prev?.pages ?? header?.pages ?? 0;
    for (let p = 0; p < pages; p++) await this.kv.del(`${this.base(key)}-p${p}`);
    await this.kv.del(this.base(key));
    this.saved.delete(key);
  }

  /** Load everything; messages left SENDING when the app closed come back FAILED. */
  async load(): Promise<{ meta: Meta | undefined; chats: Chat[] }> {
    const meta = await this.kv.get<Meta>(`chats-${this.owner}`);
    if (!meta) return { meta, chats: [] };
    const chats = await Promise.all(
      meta.keys.map(async (key) => {
        const header = await this.kv.get<Header>(this.base(key));
        if (!header) return null;
        const count = header.pages ?? 0;
        const pages = await Promise.all(
          Array.from({ length: count }, (_, p) => this.kv.get<ChatMessage[]>(`${this.base(key)}-p${p}`)),
        );
        const messages: ChatMessage[] = [];
        for (const page of pages)
          for (const m of page ?? [])
            messages.push(m.status === ClientStatus.SENDING ? { ...m, status: ClientStatus.FAILED } : m);
        const { pages: _p, ...rest } = header;
        this.saved.set(key, { list: messages, pages: count });
        return { ...rest, messages };
      }),
    );
    return { meta, chats: chats.filter((c): c is Chat => c !== null) };
  }
}
