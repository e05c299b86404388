import { describe, expect, it, vi } from 'vitest';
import { MessageType as T } from '@box-im/im-common';
import { ClientStatus as S, FrameRouter, type Chat } from '../src';
import { friendVO, gm, groupVO, makeBook, ME, memoryContacts, pm } from './helpers';

const PEER = 2;

function setup(watching: (c: Chat) => boolean = () => false) {
  const { book } = makeBook();
  const contacts = memoryContacts();
  const api = {
    readPrivate: vi.fn(() => Promise.resolve(null)),
    readGroup: vi.fn(() => Promise.resolve(null)),
  };
  const events = {
    onIncoming: vi.fn(),
    onRtcPrivate: vi.fn(),
    onRtcGroup: vi.fn(),
    onFriendRequest: vi.fn(),
    onGroupInvite: vi.fn(),
  };
  const router = new FrameRouter({ book, contacts, api, me: () => ME, isWatching: watching, events });
  return { book, contacts, api, events, router };
}

describe('FrameRouter: private', () => {
  it('opens the chat named after the friend; receipt, READED and recall', () => {
    const { book, contacts, router, events } = setup();
    contacts.upsertFriend(friendVO(PEER, 'Bob'));
    router.privateMessage(pm({ id: 1, sendId: ME, recvId: PEER, content: 'mine' }), true);
    router.privateMessage(pm({ id: 2, content: 'theirs' }), true);
    const c = book.get('PRIVATE', PEER)!;
    expect([c.showName, c.headImage]).toEqual(['Bob', 'Bob.png']);
    expect(c.messages.map((m) => m.content)).toEqual(['mine', 'theirs']);
    expect(c.unreadCount).toBe(1);
    // a message from the peer implies it read mine before it
    expect(c.messages[0]!.status).toBe(S.READED);
    expect(events.onIncoming).toHaveBeenCalledTimes(1);
    router.privateMessage(pm({ id: 3, sendId: ME, recvId: PEER, content: 'again' }), true);
    router.privateMessage(pm({ id: 0, type: T.RECEIPT }), true);
    expect(c.messages[2]!.status).toBe(S.READED);
    router.privateMessage(pm({ id: 0, sendId: ME, recvId: PEER, type: T.READED }), true);
    expect(c.unreadCount).toBe(0);
    router.privateMessage(pm({ id: 4, type: T.RECALL, content: '2' }), true);
    expect(c.messages[1]!.status).toBe(S.RECALL);
    expect(c.messages.some((m) => m.type === T.RECALL)).toBe(false);
    expect(book.state.privateMaxId).toBe(4);
  });

  it('a message in the watched chat is not unread and is reported read', () => {
    const { book, router, api, events } = setup(() => true);
    router.privateMessage(pm({ id: 5 }), true);
    expect(book.get('PRIVATE', PEER)!.unreadCount).toBe(0);
    expect(api.readPrivate).toHaveBeenCalledWith(PEER);
    // my own echo from another terminal is neither reported nor notified
    router.privateMessage(pm({ id: 6, sendId: ME, recvId: PEER }), true);
    expect(api.readPrivate).toHaveBeenCalledTimes(1);
    expect(events.onIncoming).toHaveBeenCalledTimes(1);
  });

  it('friend events update the contacts and the chat', () => {
    const { book, contacts, router } = setup();
    router.privateMessage(
      pm({ id: 0, type: T.FRIEND_NEW, content: JSON.stringify(friendVO(PEER, 'bob')) }),
      true,
    );
    expect(contacts.friend(PEER)!.nickName).toBe('bob');
    router.privateMessage(pm({ id: 1 }), true);
    router.privateMessage(pm({ id: 0, sendId: ME, recvId: PEER, type: T.FRIEND_DND, content: 'true' }), true);
    expect(contacts.friend(PEER)!.isDnd).toBe(true);
    expect(book.get('PRIVATE', PEER)!.isDnd).toBe(true);
    router.privateMessage(pm({ id: 0, type: T.FRIEND_DEL }), true);
    expect(contacts.friend(PEER)!.deleted).toBe(true);
    router.privateMessage(pm({ id: 0, type: T.FRIEND_NEW, content: 'not json' }), true);
  });

  it('friend requests and group invitations go to their listeners, live only, never into a chat', () => {
    const { book, router, events } = setup();
    const request = { id: 5, sendId: PEER, recvId: ME, message: 'hi', status: 0 };
    router.privateMessage(pm({ id: 0, type: T.FRIEND_REQUEST, content: JSON.stringify(request) }), true);
    router.privateMessage(pm({ id: 0, type: T.FRIEND_REQUEST, content: JSON.stringify(request) }), false);
    router.privateMessage(pm({ id: 0, type: T.FRIEND_REQUEST, content: 'not json' }), true);
    expect(events.onFriendRequest).toHaveBeenCalledTimes(1);
    expect(events.onFriendRequest).toHaveBeenCalledWith(request);
    const invite = { id: 7, groupId: 9, groupName: 'g', inviterId: PEER, status: 0 };
    router.groupMessage(
      gm({ id: 0, groupId: 9, type: T.GROUP_INVITE, content: JSON.stringify(invite) }),
      true,
    );
    expect(events.onGroupInvite).toHaveBeenCalledWith(invite);
    expect(book.get('PRIVATE', PEER)).toBeUndefined();
    expect(book.get('GROUP', 9)).toBeUndefined();
  });

  it('call signalling goes to the call screen, live only, and never into the chat', () => {
    const { book, router, events } = setup();
    router.privateMessage(pm({ id: 0, type: T.RTC_CALL_VIDEO, content: '{}' }), true);
    router.privateMessage(pm({ id: 0, type: T.RTC_CANCEL }), false);
    expect(events.onRtcPrivate).toHaveBeenCalledTimes(1);
    expect(book.get('PRIVATE', PEER)).toBeUndefined();
  });
});

describe('FrameRouter: group', () => {
  it('@me, receipt counts, recall, group name from the contacts', () => {
    const { book, contacts, router } = setup();
    contacts.upsertGroup(groupVO(9, 'Team'));
    router.groupMessage(gm({ id: 5, atUserIds: [ME] }), true);
    const c = book.get('GROUP', 9)!;
    expect(c.showName).toBe('Team');
    expect(c.atMe).toBe(true);
    router.groupMessage(gm({ id: 6, sendId: ME, receipt: true, content: 'read me' }), true);
    router.groupMessage(gm({ id: 6, type: T.RECEIPT, readedCount: 2, receiptOk: false }), true);
    expect(c.messages.find((m) => m.id === 6)!.readedCount).toBe(2);
    router.groupMessage(gm({ id: 6, type: T.RECEIPT, readedCount: 3, receiptOk: true }), true);
    expect(c.messages.find((m) => m.id === 6)!.receiptOk).toBe(true);
    router.groupMessage(gm({ id: 7, type: T.RECALL, content: '5' }), true);
    expect(c.messages.find((m) => m.id === 5)!.status).toBe(S.RECALL);
    expect(c.messages.some((m) => m.type === T.RECALL)).toBe(false);
    expect(book.state.groupMaxId).toBe(7);
  });

  it('a message of a group the lists do not know fetches the group once, then names the chat', async () => {
    const { book, contacts, router } = setup();
    let release: () => void = () => undefined;
    const fetchGroup = vi.fn(
      (id: number) =>
        new Promise<void>((resolve) => {
          release = () => {
            contacts.upsertGroup(groupVO(id, 'New team'));
            resolve();
          };
        }),
    );
    contacts.fetchGroup = fetchGroup;
    router.groupMessage(gm({ id: 5, groupId: 11 }), true);
    router.groupMessage(gm({ id: 6, groupId: 11 }), true);
    const c = book.get('GROUP', 11)!;
    expect(c.showName).toBe('11');
    expect(fetchGroup).toHaveBeenCalledTimes(1);
    release();
    await vi.waitFor(() => expect(c.showName).toBe('New team'));
    expect(c.messages.map((m) => m.id)).toEqual([5, 6]);
  });

  it('group events: joined, muted, left', () => {
    const { book, contacts, router } = setup();
    router.groupMessage(gm({ id: 0, type: T.GROUP_NEW, content: JSON.stringify(groupVO(9, 'New')) }), true);
    expect(contacts.group(9)!.name).toBe('New');
    router.groupMessage(gm({ id: 1 }), true);
    router.groupMessage(gm({ id: 0, type: T.GROUP_DND, content: 'true' }), true);
    expect(book.get('GROUP', 9)!.isDnd).toBe(true);
    router.groupMessage(gm({ id: 0, type: T.GROUP_DEL }), true);
    expect(contacts.group(9)!.quit).toBe(true);
  });

  it('a pulled batch merges per chat, sorts group ids, handles notices in place, notifies nothing', () => {
    const { book, router, events } = setup();
    router.groupBatch([
      gm({ id: 3 }),
      gm({ id: 1 }),
      gm({ id: 4, type: T.RECALL, content: '1' }),
      gm({ id: 2 }),
    ]);
    router.privateBatch([
      pm({ id: 10, sendId: ME, recvId: PEER }),
      pm({ id: 11 }),
      pm({ id: 12, sendId: ME, recvId: PEER }),
    ]);
    const g = book.get('GROUP', 9)!;
    expect(g.messages.map((m) => m.id)).toEqual([1, 2, 3]);
    expect(g.unreadCount).toBe(3);
    const p = book.get('PRIVATE', PEER)!;
    expect(p.messages.map((m) => m.status)).toEqual([S.READED, S.PENDING, S.PENDING]);
    expect(events.onIncoming).not.toHaveBeenCalled();
    expect([book.state.groupMaxId, book.state.privateMaxId]).toEqual([4, 12]);
  });
});
