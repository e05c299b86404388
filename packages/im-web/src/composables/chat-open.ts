/** Opening chats from ids, and "is the user looking at it" / read marking. */
import { api } from '../api';
import { useChatStore } from '../stores/chat';
import { useFriendStore } from '../stores/friend';
import { useGroupStore } from '../stores/group';
import { useUserStore } from '../stores/user';
import { useConfigStore } from '../stores/config';
import { chatKey, type Chat } from '../lib/types';

export function stores() {
  return {
    chat: useChatStore(),
    friend: useFriendStore(),
    group: useGroupStore(),
    user: useUserStore(),
    config: useConfigStore(),
  };
}

export function privateChat(peerId: number): Chat {
  const { chat, friend } = stores();
  const f = friend.find(peerId);
  return chat.open('PRIVATE', peerId, {
    showName: f?.nickName ?? String(peerId),
    headImage: f?.headImage ?? '',
    isDnd: f?.isDnd,
  });
}

export function groupChat(groupId: number): Chat {
  const { chat, group } = stores();
  const g = group.find(groupId);
  return chat.open('GROUP', groupId, {
    showName: g?.showGroupName ?? g?.name ?? String(groupId),
    headImage: g?.headImageThumb ?? '',
    isDnd: g?.isDnd,
  });
}

/** Is the user looking at this chat right now (tab visible)? */
export function watching(c: Chat): boolean {
  const { chat } = stores();
  return (
    chat.viewing && chat.activeKey === chatKey(c.type, c.targetId) && document.visibilityState === 'visible'
  );
}

/** Mark the open chat as read on the server and locally. */
export function readActive() {
  const { chat } = stores();
  const c = chat.active;
  if (!c || !chat.viewing || document.visibilityState !== 'visible') return;
  if (c.unreadCount > 0 || c.atMe || c.atAll) {
    if (c.type === 'PRIVATE') void api.readPrivate(c.targetId);
    else {
      const last = [...c.messages].reverse().find((m) => m.id !== undefined);
      void api.readGroup(c.targetId, last?.id);
    }
    chat.resetUnread(c);
  }
}
