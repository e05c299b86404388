/** Pins and drafts: changed locally at once, then stored on the server (which tells my other terminals). */
import type { ChatBook } from '../chats/book';
import type { ImApi } from '../http/api';
import type { Chat } from '../model/types';

export type PrefApi = Pick<ImApi, 'putChatPref'>;

const ignore = () => undefined;

export function savePinned(book: ChatBook, api: PrefApi, chat: Chat, pinned: boolean): Promise<void> {
  book.setPinned(chat, pinned);
  return api.putChatPref({ chatType: chat.type, chatId: chat.targetId, pinned }).then(ignore, ignore);
}

/** Keep what I typed but did not send; nothing is sent when it did not change. */
export function saveDraft(book: ChatBook, api: PrefApi, chat: Chat, draft: string): Promise<void> {
  if ((chat.draft ?? '') === draft) return Promise.resolve();
  book.setDraft(chat, draft);
  return api.putChatPref({ chatType: chat.type, chatId: chat.targetId, draft }).then(ignore, ignore);
}
