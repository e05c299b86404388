/** The host's friend and group lists, as the sync rules need them; and opening chats from ids. */
import type { FriendVO, GroupVO } from '@box-im/im-common';
import type { ChatBook } from '../chats/book';
import type { Chat } from '../model/types';

/** Implemented by the host's friend and group stores. */
export interface Contacts {
  friend(id: number): FriendVO | undefined;
  group(id: number): GroupVO | undefined;
  /** FRIEND_NEW: someone became my friend (on any of my terminals). */
  upsertFriend(vo: FriendVO): void;
  /** FRIEND_DEL. */
  markFriendDeleted(id: number): void;
  /** FRIEND_DND (muted on another terminal). */
  setFriendDnd(id: number, isDnd: boolean): void;
  /** GROUP_NEW: I joined or created a group. */
  upsertGroup(vo: GroupVO): void;
  /** GROUP_DEL: I left, was removed, or the group was dissolved. */
  markGroupQuit(id: number): void;
  /** GROUP_DND. */
  setGroupDnd(id: number, isDnd: boolean): void;
  /**
   * Load a group the lists do not hold yet (a message arrived first, e.g. the group was created
   * on another session of the same terminal): afterwards `group(id)` knows it.
   */
  fetchGroup?(id: number): Promise<void>;
}

/** What the sync rules need of the host's friend store. */
export interface FriendList {
  find(id: number): FriendVO | undefined;
  upsert(vo: FriendVO): void;
  markDeleted(id: number): void;
  setDnd(id: number, isDnd: boolean): void;
  /** Ask who of them is online (a new friend's state). */
  refreshOnline?(): Promise<void>;
}

/** What the sync rules need of the host's group store. */
export interface GroupList {
  find(id: number): GroupVO | undefined;
  upsert(vo: GroupVO): void;
  markQuit(id: number): void;
  setDnd(id: number, isDnd: boolean): void;
  /** Load one group (and its members) from the server. */
  refresh(id: number): Promise<unknown>;
}

/** The host's two stores as `Contacts` (the same adapter in both clients). */
export function storeContacts(friends: FriendList, groups: GroupList): Contacts {
  return {
    friend: (id) => friends.find(id),
    group: (id) => groups.find(id),
    upsertFriend: (vo) => {
      friends.upsert(vo);
      void friends.refreshOnline?.();
    },
    markFriendDeleted: (id) => friends.markDeleted(id),
    setFriendDnd: (id, isDnd) => friends.setDnd(id, isDnd),
    upsertGroup: (vo) => groups.upsert(vo),
    markGroupQuit: (id) => groups.markQuit(id),
    setGroupDnd: (id, isDnd) => groups.setDnd(id, isDnd),
    fetchGroup: async (id) => {
      await groups.refresh(id);
    },
  };
}

/** The private chat with `peerId`, named after the friend (or the id while unknown). */
export function openPrivateChat(book: ChatBook, contacts: Pick<Contacts, 'friend'>, peerId: number): Chat {
  const f = contacts.friend(peerId);
  return book.open('PRIVATE', peerId, {
    showName: f?.nickName || String(peerId),
    headImage: f?.headImage ?? '',
    isDnd: f?.isDnd,
  });
}

/** The group chat, named as I see the group (my remark first). */
export function openGroupChat(book: ChatBook, contacts: Pick<Contacts, 'group'>, groupId: number): Chat {
  const g = contacts.group(groupId);
  return book.open('GROUP', groupId, {
    showName: g?.showGroupName || g?.name || String(groupId),
    headImage: g?.headImageThumb ?? '',
    isDnd: g?.isDnd,
  });
}
