/** Reading a chat: tell the server (so my other terminals and the sender learn it), then reset it here. */
import type { ChatBook } from '../chats/book';
import type { ImApi } from '../http/api';
import type { Chat } from '../model/types';

export type ReadApi = Pick<ImApi, 'readPrivate' | 'readGroup'>;

const ignore = () => undefined;

/** Mark everything in `chat` read, if anything is unread. */
export function markChatRead(api: ReadApi, book: ChatBook, chat: Chat): void {
  if (chat.unreadCount === 0 && !chat.atMe && !chat.atAll) return;
  if (chat.type === 'PRIVATE') void api.readPrivate(chat.targetId).catch(ignore);
  else {
    let last: number | undefined;
    for (let i = chat.messages.length - 1; i >= 0 && last === undefined; i--) last = chat.messages[i]!.id;
    void api.readGroup(chat.targetId, last).catch(ignore);
  }
  book.resetUnread(chat);
}
