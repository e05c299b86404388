/** Replies: which messages can be quoted and the quote a reply carries before the server answers. */
import type { QuoteMessageVO } from '@box-im/im-common';
import { isNormal } from '../model/kinds';
import { ClientStatus } from '../model/status';
import type { ChatMessage } from '../model/types';

/** Sent (has an id), not recalled, and something a user wrote (the server refuses tips and calls). */
export function canQuote(m: ChatMessage): boolean {
  return m.id !== undefined && m.status !== ClientStatus.RECALL && isNormal(m.type);
}

/** The quote of a reply to `m`; `name` is how the chat shows its sender. Null when it cannot be quoted. */
export function quoteOf(m: ChatMessage, name: string): QuoteMessageVO | null {
  if (!canQuote(m)) return null;
  return {
    id: m.id!,
    sendId: m.sendId,
    sendNickName: m.sendNickName || name,
    type: m.type,
    content: m.content,
    status: m.status,
  };
}

/** The original of a quote was recalled (the server and `ChatBook.recall` mark it so). */
export const quoteRecalled = (q: QuoteMessageVO): boolean => q.status === ClientStatus.RECALL;

/**
 * The one line a reply shows for its quote: `sender: preview` (the host's `summarize` of the
 * quote as a message), or the host's `recalledText` once the original was recalled.
 */
export function quoteLine(
  q: QuoteMessageVO,
  summarize: (m: ChatMessage) => string,
  recalledText: string,
): string {
  return quoteRecalled(q) ? recalledText : `${q.sendNickName}: ${summarize(quoteAsMessage(q))}`;
}

/** A quote as a message, for the host's one-line preview (`summarize`). */
export function quoteAsMessage(q: QuoteMessageVO): ChatMessage {
  return {
    id: q.id,
    sendId: q.sendId,
    sendNickName: q.sendNickName,
    type: q.type,
    content: q.content,
    status: q.status,
    sendTime: 0,
    selfSend: false,
  };
}
