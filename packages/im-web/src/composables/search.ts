/** Message search: results from the server, and jumping to a hit inside its chat. */
import { ref } from 'vue';
import { chatKey, hitChat, hitMessage, type Chat, type SearchHit } from '@box-im/im-app-core';
import { useChatStore } from '../stores/chat';
import { useUserStore } from '../stores/user';
import { groupChat, privateChat } from './chat-open';

export { isGroupHit, type SearchHit } from '@box-im/im-app-core';

/** The message to bring into view (and mark) once its chat shows. */
export const jumpTarget = ref<{ key: string; id: number } | null>(null);

/** The chat a hit belongs to (opened if it is not in the list). */
export function chatOf(hit: SearchHit): Chat {
  const c = hitChat(hit, useUserStore().id());
  return c.type === 'GROUP' ? groupChat(c.targetId) : privateChat(c.targetId);
}

/** Open the hit's chat with the hit in it, scrolled to and marked. */
export function jumpTo(hit: SearchHit): void {
  const store = useChatStore();
  const me = useUserStore().id();
  const chat = chatOf(hit);
  store.insert(chat, [hitMessage(hit, me)], me, false);
  const key = chatKey(chat.type, chat.targetId);
  jumpTarget.value = { key, id: hit.id };
  store.activate(key);
}
