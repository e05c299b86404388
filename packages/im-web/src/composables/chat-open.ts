/** Opening chats from ids, and "is the user looking at it" / read marking. */
import {
  chatKey,
  markChatRead,
  openGroupChat,
  openPrivateChat,
  storeContacts,
  type Chat,
  type Contacts,
} from '@box-im/im-app-core';
import { api } from '../api';
import { useChatStore } from '../stores/chat';
import { useFriendStore } from '../stores/friend';
import { useGroupStore } from '../stores/group';
import { useUserStore } from '../stores/user';
import { useSocialStore } from '../stores/social';
import { useConfigStore } from '../stores/config';

export function stores() {
  return {
    chat: useChatStore(),
    friend: useFriendStore(),
    group: useGroupStore(),
    user: useUserStore(),
    config: useConfigStore(),
    social: useSocialStore(),
  };
}

/** The friend and group stores as the client core sees them. */
export function contacts(): Contacts {
  const { friend, group } = stores();
  return storeContacts(friend, group);
}

export function privateChat(peerId: number): Chat {
  return openPrivateChat(stores().chat.book, contacts(), peerId);
}

export function groupChat(groupId: number): Chat {
  return openGroupChat(stores().chat.book, contacts(), groupId);
}

/** Is the user looking at this chat right now (chat screen shown, tab visible)? */
export function watching(c: Chat): boolean {
  const { chat } = stores();
  return (
    chat.viewing && chat.activeKey === chatKey(c.type, c.targetId) && document.visibilityState === 'visible'
  );
}

/** Mark the open chat as read on the server and locally, when the user can see it. */
export function readActive() {
  const c = stores().chat.active;
  if (c && watching(c)) markChatRead(api, stores().chat.book, c);
}
