import { router } from '../router';
import { useChatStore } from '../stores/chat';
import { chatKey, type ChatType } from '@box-im/im-app-core';
import { groupChat, privateChat } from './session';

/** Open (or create) a chat and show it. */
export async function goChat(type: ChatType, id: number) {
  if (type === 'PRIVATE') privateChat(id);
  else groupChat(id);
  useChatStore().activate(chatKey(type, id));
  await router.push('/home/chat');
}
