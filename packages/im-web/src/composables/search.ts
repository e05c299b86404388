/** Message search: results from the server, and jumping to a hit inside its chat. */
import { ref } from 'vue';
import { fromGroup, fromPrivate, chatKey, privatePeer, type Chat } from '@box-im/im-app-core';
import type { GroupMessageVO, PrivateMessageVO } from '@box-im/im-common';
import { useChatStore } from '../stores/chat';
import { useUserStore } from '../stores/user';
import { groupChat, privateChat } from './chat-open';

export type SearchHit = PrivateMessageVO | GroupMessageVO;

/** The message to bring into view (and mark) once its chat shows. */
export const jumpTarget = ref<{ key: string; id: number } | null>(null);

export const isGroupHit = (hit: SearchHit): hit is GroupMessageVO =>
  'groupId' in hit && hit.groupId !== undefined;

/** The chat a hit belongs to (opened if it is not in the list). */
export function chatOf(hit: SearchHit): Chat {
  const me = useUserStore().id();
  return isGroupHit(hit) ? groupChat(hit.groupId) : privateChat(privatePeer(hit, me));
}

/** Open the hit's chat with the hit in it, scrolled to and marked. */
export function jumpTo(hit: SearchHit): void {
  const store = useChatStore();
  const me = useUserStore().id();
  const chat = chatOf(hit);
  store.insert(chat, [isGroupHit(hit) ? fromGroup(hit, me) : fromPrivate(hit, me)], me, false);
  const key = chatKey(chat.type, chat.targetId);
  jumpTarget.value = { key, id: hit.id };
  store.activate(key);
}
