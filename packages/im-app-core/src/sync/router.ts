/**
 * What a private or group message frame does to the local state, whether it came live or
 * from an offline pull. Notices (READED, RECEIPT, RECALL, friend and group changes) update
 * chats and contacts; shown messages are merged into their chat, counted as unread unless the
 * user is looking at it, and then reported read to the server.
 * Multi-terminal sync follows from the server echoing my own sends and reads to my other terminals.
 */
import {
  MessageType,
  type ChatPrefVO,
  type FriendRequestVO,
  type FriendVO,
  type GroupInviteVO,
  type GroupMessageVO,
  type GroupVO,
  type PrivateMessageVO,
} from '@box-im/im-common';
import type { ChatBook } from '../chats/book';
import { fromGroup, fromPrivate, privatePeer } from '../model/convert';
import { isRtcGroup, isRtcPrivate, isShown, parseJson } from '../model/kinds';
import type { Chat, ChatMessage } from '../model/types';
import { openGroupChat, openPrivateChat, type Contacts } from './contacts';
import type { ReadApi } from './read';

export interface RouterEvents {
  /** A live message from someone else, new to its chat (sound, notification). */
  onIncoming?: (chat: Chat, m: ChatMessage) => void;
  /** Private call signalling (types 100–199). */
  onRtcPrivate?: (vo: PrivateMessageVO) => void;
  /** Group call signalling (types 200–299). */
  onRtcGroup?: (vo: GroupMessageVO) => void;
  /** A friend request to or from me was made or settled (live only). */
  onFriendRequest?: (request: FriendRequestVO) => void;
  /** The peer is typing to me (live only; never added to the chat). */
  onTyping?: (peerId: number) => void;
  /** A message from the peer arrived: whatever they typed is sent. */
  onPeerMessage?: (peerId: number) => void;
  /** A group invitation waits for my consent (live only). */
  onGroupInvite?: (invite: GroupInviteVO) => void;
}

export interface RouterDeps {
  book: ChatBook;
  contacts: Contacts;
  api: ReadApi;
  me(): number;
  /** Is the user looking at this chat right now? */
  isWatching(chat: Chat): boolean;
  events: RouterEvents;
}

const ignore = () => undefined;

/** Notices handled one by one even inside a pulled batch. */
const special = (type: number) => !isShown(type) || type === MessageType.RECALL;

export class FrameRouter {
  /** Groups being fetched because a message came before the group list knew them. */
  private readonly fetching = new Set<number>();

  constructor(private readonly deps: RouterDeps) {}

  privateMessage(vo: PrivateMessageVO, live: boolean): void {
    const { book, contacts } = this.deps;
    const me = this.deps.me();
    const peer = privatePeer(vo, me);
    switch (vo.type) {
      case MessageType.READED: {
        // I read this chat on another terminal.
        const chat = book.get('PRIVATE', peer);
        if (chat) book.resetUnread(chat);
        return;
      }
      case MessageType.RECEIPT: {
        // The peer read my messages.
        const chat = book.get('PRIVATE', peer);
        if (chat) book.markPeerRead(chat);
        return;
      }
      case MessageType.RECALL:
        book.recall(openPrivateChat(book, contacts, peer), Number(vo.content));
        book.bumpMaxId('PRIVATE', vo.id);
        return;
      case MessageType.FRIEND_NEW: {
        const friend = parseJson<FriendVO>(vo.content);
        if (friend) contacts.upsertFriend(friend);
        return;
      }
      case MessageType.FRIEND_DEL:
        contacts.markFriendDeleted(peer);
        return;
      case MessageType.FRIEND_DND:
        contacts.setFriendDnd(peer, vo.content === 'true');
        book.setDnd('PRIVATE', peer, vo.content === 'true');
        return;
      case MessageType.CHAT_PREF: {
        // My pin or draft changed on another terminal.
        const pref = parseJson<ChatPrefVO>(vo.content);
        if (pref && vo.sendId === me) this.chatPref(pref);
        return;
      }
      case MessageType.TYPING:
        if (live && vo.sendId !== me) this.deps.events.onTyping?.(vo.sendId);
        return;
      case MessageType.FRIEND_REQUEST: {
        const request = parseJson<FriendRequestVO>(vo.content);
        if (request && live) this.deps.events.onFriendRequest?.(request);
        return;
      }
      default:
        break;
    }
    if (isRtcPrivate(vo.type)) {
      if (live) this.deps.events.onRtcPrivate?.(vo);
      return;
    }
    if (!isShown(vo.type)) return;
    const chat = openPrivateChat(book, contacts, peer);
    const m = fromPrivate(vo, me);
    const seen = this.deps.isWatching(chat);
    const fresh = book.insert(chat, [m], me, !seen);
    // A message from the peer means it has read everything of mine before it.
    if (!m.selfSend && m.id !== undefined) book.markPeerRead(chat, m.id);
    if (fresh.length && !m.selfSend) {
      if (live) this.deps.events.onPeerMessage?.(peer);
      if (seen) void this.deps.api.readPrivate(peer).catch(ignore);
      if (live) this.deps.events.onIncoming?.(chat, m);
    }
  }

  groupMessage(vo: GroupMessageVO, live: boolean): void {
    const { book, contacts } = this.deps;
    const me = this.deps.me();
    switch (vo.type) {
      case MessageType.READED: {
        const chat = book.get('GROUP', vo.groupId);
        if (chat) book.resetUnread(chat);
        return;
      }
      case MessageType.RECEIPT: {
        const chat = book.get('GROUP', vo.groupId);
        if (chat) book.patch(chat, { id: vo.id }, { readedCount: vo.readedCount, receiptOk: vo.receiptOk });
        return;
      }
      case MessageType.RECALL:
        book.recall(this.groupChat(vo.groupId), Number(vo.content));
        book.bumpMaxId('GROUP', vo.id);
        return;
      case MessageType.GROUP_NEW: {
        const group = parseJson<GroupVO>(vo.content);
        if (group) contacts.upsertGroup(group);
        return;
      }
      case MessageType.GROUP_DEL:
        contacts.markGroupQuit(vo.groupId);
        return;
      case MessageType.GROUP_DND:
        contacts.setGroupDnd(vo.groupId, vo.content === 'true');
        book.setDnd('GROUP', vo.groupId, vo.content === 'true');
        return;
      case MessageType.GROUP_INVITE: {
        const invite = parseJson<GroupInviteVO>(vo.content);
        if (invite && live) this.deps.events.onGroupInvite?.(invite);
        return;
      }
      default:
        break;
    }
    if (isRtcGroup(vo.type)) {
      if (live) this.deps.events.onRtcGroup?.(vo);
      return;
    }
    if (!isShown(vo.type)) return;
    const chat = this.groupChat(vo.groupId);
    const m = fromGroup(vo, me);
    const seen = this.deps.isWatching(chat);
    const fresh = book.insert(chat, [m], me, !seen);
    if (fresh.length && !m.selfSend) {
      if (seen && m.id !== undefined) void this.deps.api.readGroup(vo.groupId, m.id).catch(ignore);
      if (live) this.deps.events.onIncoming?.(chat, m);
    }
  }

  /** One pin / draft of mine: the chat is opened when it has either. */
  chatPref(pref: ChatPrefVO): void {
    const { book, contacts } = this.deps;
    const draft = pref.draft ?? '';
    let chat = book.get(pref.chatType, pref.chatId);
    if (!chat && !pref.pinned && !draft) return;
    chat ??=
      pref.chatType === 'PRIVATE'
        ? openPrivateChat(book, contacts, pref.chatId)
        : this.groupChat(pref.chatId);
    if (chat.pinned !== pref.pinned) book.setPinned(chat, pref.pinned);
    book.setDraft(chat, draft);
  }

  /** All my pins and drafts (the server's list is the truth: chats not in it have neither). */
  chatPrefs(list: readonly ChatPrefVO[]): void {
    const { book } = this.deps;
    const listed = new Set(list.map((p) => `${p.chatType}-${p.chatId}`));
    for (const chat of book.list()) {
      if (listed.has(`${chat.type}-${chat.targetId}`)) continue;
      if (chat.pinned) book.setPinned(chat, false);
      book.setDraft(chat, '');
    }
    for (const pref of list) this.chatPref(pref);
  }

  /** An offline pull's private messages (ascending ids): each chat is merged once. */
  privateBatch(list: readonly PrivateMessageVO[]): void {
    const me = this.deps.me();
    this.batch(
      list,
      (vo) => openPrivateChat(this.deps.book, this.deps.contacts, privatePeer(vo, me)),
      (vo) => fromPrivate(vo, me),
      (vo) => this.privateMessage(vo, false),
    );
  }

  /** An offline pull's group messages: each chat is merged once. */
  groupBatch(list: readonly GroupMessageVO[]): void {
    const me = this.deps.me();
    const sorted = list.slice().sort((a, b) => a.id - b.id);
    this.batch(
      sorted,
      (vo) => this.groupChat(vo.groupId),
      (vo) => fromGroup(vo, me),
      (vo) => this.groupMessage(vo, false),
    );
  }

  /**
   * The group's chat; a group the lists do not know yet is fetched once, then the chat takes
   * its name and avatar (until then it shows the id).
   */
  private groupChat(groupId: number): Chat {
    const { book, contacts } = this.deps;
    const chat = openGroupChat(book, contacts, groupId);
    if (!contacts.group(groupId) && contacts.fetchGroup && !this.fetching.has(groupId)) {
      this.fetching.add(groupId);
      void contacts
        .fetchGroup(groupId)
        .then(() => openGroupChat(book, contacts, groupId))
        .catch(ignore)
        .finally(() => this.fetching.delete(groupId));
    }
    return chat;
  }

  private batch<T extends { type: number }>(
    list: readonly T[],
    chatOf: (vo: T) => Chat,
    convert: (vo: T) => ChatMessage,
    one: (vo: T) => void,
  ): void {
    const { book } = this.deps;
    const me = this.deps.me();
    const byChat = new Map<Chat, ChatMessage[]>();
    for (const vo of list) {
      if (special(vo.type)) {
        one(vo);
        continue;
      }
      const chat = chatOf(vo);
      const msgs = byChat.get(chat);
      if (msgs) msgs.push(convert(vo));
      else byChat.set(chat, [convert(vo)]);
    }
    byChat.forEach((msgs, chat) => {
      book.insert(chat, msgs, me, !this.deps.isWatching(chat));
      if (chat.type !== 'PRIVATE') return;
      for (let i = msgs.length - 1; i >= 0; i--) {
        const m = msgs[i]!;
        if (!m.selfSend && m.id !== undefined) {
          book.markPeerRead(chat, m.id);
          return;
        }
      }
    });
  }
}
