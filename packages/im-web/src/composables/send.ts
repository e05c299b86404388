/**
 * Sending from the UI, through the client core's outbox: the message shows at once as
 * SENDING, uploads run first, one queue keeps the order, failures become FAILED with retry.
 */
import { Outbox, type Chat, type ChatBook, type ChatMessage, type SendExtras } from '@box-im/im-app-core';
import { api } from '../api';
import { browserClock } from '../platform';
import { useChatStore } from '../stores/chat';
import { useUserStore } from '../stores/user';

export { canRetry } from '@box-im/im-app-core';

let current: { book: ChatBook; outbox: Outbox } | null = null;

/** The outbox of the current chat store. */
export function outbox(): Outbox {
  const book = useChatStore().book;
  if (current?.book !== book) {
    const user = useUserStore();
    current = {
      book,
      outbox: new Outbox({
        api,
        book,
        clock: browserClock,
        random: Math.random,
        sender: () => ({ id: user.id(), nickName: user.user?.nickName ?? '' }),
      }),
    };
  }
  return current.outbox;
}

/** Send a message whose content is ready. */
export function sendContent(chat: Chat, type: number, content: string, extras: SendExtras = {}) {
  return outbox().send(chat, type, content, extras);
}

/** Send something that needs an upload first; the bubble shows now with a local preview. */
export function sendUpload(
  chat: Chat,
  type: number,
  placeholder: string,
  localUrl: string | undefined,
  produce: () => Promise<string>,
) {
  return outbox().sendUpload(chat, type, placeholder, localUrl, produce);
}

/** Retry a failed message (any type whose content is already uploaded). */
export function retry(chat: Chat, m: ChatMessage) {
  return outbox().retry(chat, m);
}
