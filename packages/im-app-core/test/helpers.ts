/** Builders shared by the core tests. */
import {
  MessageType,
  type FriendVO,
  type GroupMessageVO,
  type GroupVO,
  type PrivateMessageVO,
} from '@box-im/im-common';
import {
  ChatBook,
  ClientStatus,
  createChatState,
  memoryStore,
  summarize,
  type ChatBookOptions,
  type ChatMessage,
  type Contacts,
  type KvStore,
  Outbox,
  type SendApi,
} from '../src';
import { FakeClock } from './fakes';

export const ME = 1;

export const msg = (p: Partial<ChatMessage>): ChatMessage => ({
  sendId: 2,
  content: 'hi',
  type: MessageType.TEXT,
  status: ClientStatus.PENDING,
  sendTime: 1000,
  selfSend: false,
  ...p,
});

/** Previews in English without a translation table. */
export const labels = (label: string, name: string) =>
  label === 'recalledOther' ? `[${label}:${name}]` : `[${label}]`;

export function makeBook(opts: Partial<ChatBookOptions> & { kv?: KvStore } = {}) {
  const clock = (opts.clock as FakeClock | undefined) ?? new FakeClock();
  const kv = opts.kv ?? memoryStore();
  const book = new ChatBook(createChatState(), {
    clock,
    kv,
    summarize: (m) => summarize(m, labels),
    ...opts,
  });
  return { book, clock, kv };
}

/** A KvStore that records the keys it writes. */
export function countingStore(kv: KvStore = memoryStore()) {
  const writes: string[] = [];
  const store: KvStore = {
    get: (k) => kv.get(k),
    set: (k, v) => {
      writes.push(k);
      return kv.set(k, v);
    },
    del: (k) => kv.del(k),
  };
  return { writes, store, kv };
}

/** Friends and groups kept in maps, as a host store would. */
export function memoryContacts(): Contacts & {
  friends: Map<number, FriendVO>;
  groups: Map<number, GroupVO>;
} {
  const friends = new Map<number, FriendVO>();
  const groups = new Map<number, GroupVO>();
  return {
    friends,
    groups,
    friend: (id) => friends.get(id),
    group: (id) => groups.get(id),
    upsertFriend: (vo) => void friends.set(vo.id, { ...friends.get(vo.id), ...vo }),
    markFriendDeleted: (id) => {
      const f = friends.get(id);
      if (f) f.deleted = true;
    },
    setFriendDnd: (id, isDnd) => {
      const f = friends.get(id);
      if (f) f.isDnd = isDnd;
    },
    upsertGroup: (vo) => void groups.set(vo.id, { ...groups.get(vo.id), ...vo }),
    markGroupQuit: (id) => {
      const g = groups.get(id);
      if (g) g.quit = true;
    },
    setGroupDnd: (id, isDnd) => {
      const g = groups.get(id);
      if (g) g.isDnd = isDnd;
    },
  };
}

export const friendVO = (id: number, nickName: string): FriendVO => ({
  id,
  nickName,
  headImage: `${nickName}.png`,
  isDnd: false,
  deleted: false,
});

export const groupVO = (id: number, name: string): GroupVO =>
  ({ id, name, showGroupName: name, headImageThumb: `${name}.png`, isDnd: false, quit: false }) as GroupVO;

export const pm = (p: Partial<PrivateMessageVO>): PrivateMessageVO => ({
  id: 1,
  sendId: 2,
  recvId: ME,
  content: 'hi',
  type: MessageType.TEXT,
  status: ClientStatus.PENDING,
  sendTime: 1000,
  ...p,
});

export const gm = (p: Partial<GroupMessageVO>): GroupMessageVO => ({
  id: 1,
  groupId: 9,
  sendId: 2,
  sendNickName: 'bob',
  content: 'hi',
  type: MessageType.TEXT,
  receipt: false,
  receiptOk: false,
  readedCount: 0,
  atUserIds: [],
  status: ClientStatus.PENDING,
  sendTime: 1000,
  ...p,
});

/** An outbox sending as user `ME` ("Me"). */
export function makeOutbox(api: SendApi, book: ChatBook, clock: FakeClock): Outbox {
  return new Outbox({ api, book, clock, random: () => 0.5, sender: () => ({ id: ME, nickName: 'Me' }) });
}
