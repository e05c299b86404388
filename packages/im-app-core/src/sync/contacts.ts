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
