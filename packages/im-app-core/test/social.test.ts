import { AddPolicy, type FriendRequestVO, type GroupInviteVO, type GroupVO } from '@box-im/im-common';
import { describe, expect, it } from 'vitest';
import {
  addMode,
  byRole,
  callRoom,
  canManageMember,
  createSocialState,
  memberActions,
  memberRole,
  muteBlock,
  SocialBook,
  storeContacts,
  togglePick,
  type SocialApi,
} from '../src';

const ME = 1;
const req = (p: Partial<FriendRequestVO>): FriendRequestVO => ({
  id: 1,
  sendId: 2,
  sendNickName: 'Bob',
  sendHeadImage: '',
  recvId: ME,
  recvNickName: 'Me',
  recvHeadImage: '',
  message: 'hi',
  status: 0,
  createdTime: 1000,
  ...p,
});
const invite = (p: Partial<GroupInviteVO>): GroupInviteVO => ({
  id: 7,
  groupId: 70,
  groupName: 'G',
  groupHeadImage: '',
  inviterId: 2,
  inviterNickName: 'Bob',
  status: 0,
  createdTime: 1000,
  ...p,
});

/** The server's answers, recorded calls. */
function fakeApi(
  lists: { incoming: FriendRequestVO[]; outgoing: FriendRequestVO[] },
  invites: GroupInviteVO[],
) {
  const calls: string[] = [];
  const api: SocialApi = {
    friendRequests: () => Promise.resolve(lists),
    groupInvites: () => Promise.resolve(invites),
    friendRequest: (friendId, message) => {
      calls.push(`request ${friendId} ${message}`);
      return Promise.resolve(req({ id: 9, sendId: ME, recvId: friendId, message, createdTime: 5000 }));
    },
    acceptFriendRequest: (id) => {
      calls.push(`accept ${id}`);
      return Promise.resolve(req({ id, status: 1 }));
    },
    declineFriendRequest: (id) => {
      calls.push(`decline ${id}`);
      return Promise.resolve(req({ id, status: 2 }));
    },
    acceptGroupInvite: (id) => {
      calls.push(`join ${id}`);
      return Promise.resolve({ id: 70, name: 'G' } as GroupVO);
    },
    declineGroupInvite: (id) => {
      calls.push(`refuse ${id}`);
      return Promise.resolve(null);
    },
  };
  return { api, calls };
}

describe('SocialBook', () => {
  it('loads both lists newest first and counts what waits for me', async () => {
    const { api } = fakeApi(
      { incoming: [req({ id: 1, createdTime: 1 }), req({ id: 2, sendId: 3, createdTime: 2 })], outgoing: [] },
      [invite({}), invite({ id: 8, status: 1 })],
    );
    const book = new SocialBook(createSocialState(), api, () => ME);
    await book.load();
    expect(book.state.incoming.map((r) => r.id)).toEqual([2, 1]);
    expect(book.state.invites.map((i) => i.id)).toEqual([7]);
    expect(book.waiting()).toBe(3);
  });

  it('keeps empty lists when the server has no such endpoints', async () => {
    const api = {
      friendRequests: () => Promise.reject(new Error('404')),
      groupInvites: () => Promise.resolve([]),
    };
    const book = new SocialBook(createSocialState(), api as unknown as SocialApi, () => ME);
    await book.load();
    expect(book.waiting()).toBe(0);
  });

  it('merges frames: a pending request is listed on my side, a settled one leaves', () => {
    const book = new SocialBook(
      createSocialState(),
      fakeApi({ incoming: [], outgoing: [] }, []).api,
      () => ME,
    );
    book.applyRequest(req({ id: 1 }));
    book.applyRequest(req({ id: 1, message: 'again' })); // repeated: updated, not doubled
    expect(book.state.incoming).toHaveLength(1);
    expect(book.state.incoming[0]!.message).toBe('again');
    book.applyRequest(req({ id: 3, sendId: ME, recvId: 4 }));
    expect(book.pendingTo(4)).toBe(true);
    // They asked me back: the server accepts mine, one row per pair.
    book.applyRequest(req({ id: 3, sendId: ME, recvId: 4, status: 1 }));
    expect(book.pendingTo(4)).toBe(false);
    book.applyRequest(req({ id: 1, status: 2 }));
    expect(book.waiting()).toBe(0);
    // Someone else's request (another of my terminals echoes only mine) lists nowhere.
    book.applyRequest(req({ id: 5, sendId: 8, recvId: 9 }));
    expect(book.state.incoming.length + book.state.outgoing.length).toBe(0);
  });

  it('answers through the api and updates the lists', async () => {
    const { api, calls } = fakeApi({ incoming: [req({ id: 1 })], outgoing: [] }, [
      invite({}),
      invite({ id: 8 }),
    ]);
    const book = new SocialBook(createSocialState(), api, () => ME);
    await book.load();
    await book.request(4, 'hello');
    expect(book.pendingTo(4)).toBe(true);
    await book.accept(1);
    expect(book.state.incoming).toEqual([]);
    expect((await book.acceptInvite(7)).id).toBe(70);
    await book.declineInvite(8);
    expect(book.state.invites).toEqual([]);
    expect(calls).toEqual(['request 4 hello', 'accept 1', 'join 7', 'refuse 8']);
    book.applyInvite(invite({ id: 9 }));
    book.applyInvite(invite({ id: 9, status: 2 }));
    expect(book.waiting()).toBe(0);
  });

  it('addMode follows the server switch and the user policy', () => {
    expect(addMode(false, AddPolicy.NOBODY)).toBe('add');
    expect(addMode(true, AddPolicy.ANYONE)).toBe('add');
    expect(addMode(true, AddPolicy.REQUEST)).toBe('request');
    expect(addMode(true, undefined)).toBe('request');
    expect(addMode(true, AddPolicy.NOBODY)).toBe('none');
  });
});

describe('group roles', () => {
  const NOW = 1_000_000;
  const owned = { ownerId: ME };
  const asAdmin = { ownerId: 2, isAdmin: true };
  const asMember = { ownerId: 2 };

  it('the owner may do everything to others, admins only mute plain members', () => {
    expect(memberActions(owned, { userId: 3 }, ME, NOW)).toEqual(['admin', 'mute', 'transfer']);
    expect(memberActions(owned, { userId: 3, isAdmin: true, muteUntil: NOW + 1 }, ME, NOW)).toEqual([
      'unadmin',
      'unmute',
      'mute',
      'transfer',
    ]);
    expect(memberActions(owned, { userId: ME }, ME, NOW)).toEqual([]);
    expect(memberActions(asAdmin, { userId: 3, muteUntil: NOW - 1 }, ME, NOW)).toEqual(['mute']);
    expect(memberActions(asAdmin, { userId: 3, isAdmin: true }, ME, NOW)).toEqual([]);
    expect(memberActions(asAdmin, { userId: 2 }, ME, NOW)).toEqual([]);
    expect(canManageMember(asMember, { userId: 3 }, ME)).toBe(false);
  });

  it('muteBlock says why I may not speak; the owner and admins always may', () => {
    expect(muteBlock({ ownerId: 2, muteUntil: NOW + 60_000 }, ME, NOW)).toEqual({
      kind: 'member',
      until: NOW + 60_000,
    });
    expect(muteBlock({ ownerId: 2, muteUntil: NOW - 1, allMuted: true }, ME, NOW)).toEqual({ kind: 'all' });
    expect(muteBlock({ ownerId: 2, muteUntil: NOW - 1 }, ME, NOW)).toBeNull();
    expect(muteBlock({ ownerId: 2, isAdmin: true, allMuted: true }, ME, NOW)).toBeNull();
    expect(muteBlock({ ownerId: ME, allMuted: true }, ME, NOW)).toBeNull();
  });

  it('badges and order: owner, admins, members', () => {
    const list = [{ userId: 5 }, { userId: 4, isAdmin: true }, { userId: 2 }, { userId: 3 }];
    expect(byRole(asMember, list).map((m) => m.userId)).toEqual([2, 4, 5, 3]);
    expect(list.map((m) => memberRole(asMember, m))).toEqual(['member', 'admin', 'owner', 'member']);
  });
});

describe('picking', () => {
  it('toggles within the cap, never the fixed ids', () => {
    expect(togglePick([1], 2, 3)).toEqual({ picked: [1, 2], refused: false });
    expect(togglePick([1, 2], 2, 3)).toEqual({ picked: [1], refused: false });
    expect(togglePick([1, 2, 3], 4, 3)).toEqual({ picked: [1, 2, 3], refused: true });
    expect(togglePick([], 5, 3, new Set([5]))).toEqual({ picked: [], refused: false });
  });

  it('a call has room for the max channel minus everyone already in it, me included', () => {
    expect(callRoom(9, [], ME)).toBe(8);
    expect(callRoom(9, [ME, 2, 3], ME)).toBe(6);
    expect(callRoom(2, [ME, 2, 3], ME)).toBe(0);
  });
});

describe('storeContacts', () => {
  it('routes the sync rules to the two stores', async () => {
    const log: string[] = [];
    const c = storeContacts(
      {
        find: (id) =>
          id === 2 ? { id, nickName: 'B', headImage: '', isDnd: false, deleted: false } : undefined,
        upsert: (vo) => log.push(`f+${vo.id}`),
        markDeleted: (id) => log.push(`f-${id}`),
        setDnd: (id, on) => log.push(`fdnd${id}${on}`),
        refreshOnline: () => Promise.resolve(void log.push('online')),
      },
      {
        find: () => undefined,
        upsert: (vo) => log.push(`g+${vo.id}`),
        markQuit: (id) => log.push(`g-${id}`),
        setDnd: (id, on) => log.push(`gdnd${id}${on}`),
        refresh: (id) => Promise.resolve(log.push(`fetch${id}`)),
      },
    );
    expect(c.friend(2)?.nickName).toBe('B');
    c.upsertFriend({ id: 3, nickName: 'C', headImage: '', isDnd: false, deleted: false });
    c.markFriendDeleted(3);
    c.setFriendDnd(2, true);
    c.upsertGroup({ id: 9 } as GroupVO);
    c.markGroupQuit(9);
    c.setGroupDnd(9, false);
    await c.fetchGroup!(9);
    expect(log).toEqual(['f+3', 'online', 'f-3', 'fdnd2true', 'g+9', 'g-9', 'gdnd9false', 'fetch9']);
  });
});
