import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import {
  MessageStatus as S,
  MessageType as T,
  type GroupMessageVO,
  type PrivateMessageVO,
} from '@box-im/im-common';

vi.mock('../../src/api', () => ({
  api: new Proxy({}, { get: () => vi.fn(() => Promise.resolve(null)) }),
}));

const { handleGroup, handlePrivate } = await import('../../src/composables/session');
const { useChatStore } = await import('../../src/stores/chat');
const { useUserStore } = await import('../../src/stores/user');
const { useFriendStore } = await import('../../src/stores/friend');

const ME = 1;
const PEER = 2;
const pm = (p: Partial<PrivateMessageVO>): PrivateMessageVO => ({
  id: 1,
  sendId: PEER,
  recvId: ME,
  content: 'hi',
  type: T.TEXT,
  status: S.PENDING,
  sendTime: 1000,
  ...p,
});
const gm = (p: Partial<GroupMessageVO>): GroupMessageVO => ({
  id: 1,
  groupId: 9,
  sendId: PEER,
  sendNickName: 'bob',
  content: 'hi',
  type: T.TEXT,
  receipt: false,
  receiptOk: false,
  readedCount: 0,
  atUserIds: [],
  status: S.PENDING,
  sendTime: 1000,
  ...p,
});

describe('frame routing', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    useUserStore().user = {
      id: ME,
      userName: 'me',
      nickName: 'Me',
      sex: 0,
      type: 1,
      signature: '',
      headImage: '',
      headImageThumb: '',
      online: null,
      isBanned: false,
      reason: '',
    };
  });

  it('private: message opens a chat, receipt marks mine read, READED clears unread, recall marks the original', () => {
    const chat = useChatStore();
    handlePrivate(pm({ id: 1, sendId: ME, recvId: PEER, content: 'mine' }), true);
    handlePrivate(pm({ id: 2, content: 'theirs' }), true);
    const c = chat.get('PRIVATE', PEER)!;
    expect(c.messages.map((m) => m.content)).toEqual(['mine', 'theirs']);
    expect(c.unreadCount).toBe(1);
    // a message from the peer implies it read mine before it
    expect(c.messages[0]!.status).toBe(S.READED);
    handlePrivate(pm({ id: 3, sendId: ME, recvId: PEER, content: 'again' }), true);
    handlePrivate(pm({ id: 0, type: T.RECEIPT }), true);
    expect(c.messages[2]!.status).toBe(S.READED);
    handlePrivate(pm({ id: 0, sendId: ME, recvId: PEER, type: T.READED }), true);
    expect(c.unreadCount).toBe(0);
    handlePrivate(pm({ id: 4, type: T.RECALL, content: '2' }), true);
    expect(c.messages[1]!.status).toBe(S.RECALL);
    expect(chat.privateMaxId).toBe(4);
  });

  it('private: friend events update the friend store', () => {
    const friends = useFriendStore();
    handlePrivate(
      pm({
        id: 0,
        type: T.FRIEND_NEW,
        content: JSON.stringify({ id: PEER, nickName: 'bob', headImage: '', isDnd: false, deleted: false }),
      }),
      true,
    );
    expect(friends.friends.map((f) => f.nickName)).toEqual(['bob']);
    handlePrivate(pm({ id: 0, sendId: ME, recvId: PEER, type: T.FRIEND_DND, content: 'true' }), true);
    expect(friends.find(PEER)!.isDnd).toBe(true);
    handlePrivate(pm({ id: 0, type: T.FRIEND_DEL }), true);
    expect(friends.friends).toHaveLength(0);
  });

  it('group: @me, receipt counts, recall', () => {
    const chat = useChatStore();
    handleGroup(gm({ id: 5, atUserIds: [ME] }), true);
    const c = chat.get('GROUP', 9)!;
    expect(c.atMe).toBe(true);
    handleGroup(gm({ id: 6, sendId: ME, receipt: true, content: 'read me' }), true);
    handleGroup(gm({ id: 6, type: T.RECEIPT, readedCount: 2, receiptOk: false }), true);
    expect(c.messages.find((m) => m.id === 6)!.readedCount).toBe(2);
    handleGroup(gm({ id: 6, type: T.RECEIPT, readedCount: 3, receiptOk: true }), true);
    expect(c.messages.find((m) => m.id === 6)!.receiptOk).toBe(true);
    handleGroup(gm({ id: 7, type: T.RECALL, content: '5' }), true);
    expect(c.messages.find((m) => m.id === 5)!.status).toBe(S.RECALL);
    expect(c.messages.some((m) => m.type === T.RECALL)).toBe(false);
  });
});
