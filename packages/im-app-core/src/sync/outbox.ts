/**
 * Optimistic sending through one serial queue (keeps the order the user wrote in): the message
 * shows at once as SENDING with a temp id, uploads run first, then the send call; the answer
 * gives it its id and status. A failure marks it FAILED: network failures (`netFail`) are
 * re-sent by themselves after a reconnect, refusals wait for the user's retry.
 */
import type { ChatBook } from '../chats/book';
import type { ImApi } from '../http/api';
import { ApiError } from '../http/errors';
import { TmpIds } from '../model/tmp-id';
import { ClientStatus } from '../model/status';
import type { Chat, ChatMessage } from '../model/types';
import type { Clock, Random } from '../platform';
import { MessageType, type QuoteMessageVO } from '@box-im/im-common';

export type SendApi = Pick<ImApi, 'sendPrivate' | 'sendGroup'>;

export interface OutboxDeps {
  api: SendApi;
  book: ChatBook;
  clock: Clock;
  random: Random;
  /** Me, as the optimistic copy shows me. */
  sender(): { id: number; nickName: string };
}

export interface SendExtras {
  /** Group: ask for read receipts. */
  receipt?: boolean;
  /** Group: mentioned user ids (`AT_ALL_USER_ID` for everyone). */
  atUserIds?: number[];
  /** Local preview while uploading (not cached, not sent). */
  localUrl?: string;
  /** Reply to this message (shown at once; the server checks and returns the quote). */
  quote?: QuoteMessageVO;
}

/** Network failures older than this are left for the user to retry. */
export const AUTO_RETRY_WINDOW_MS = 10 * 60_000;

/** Local file references a failed upload may have left in the content (browser, uni-app, mini-program). */
const LOCAL_URL = /"(blob:|wxfile:|file:|_doc\/|_www\/|http:\/\/tmp\/)/;

/** Text, or media whose upload finished (its content holds server URLs, no local file). */
export function canRetry(m: ChatMessage): boolean {
  if (m.status !== ClientStatus.FAILED) return false;
  return m.type === MessageType.TEXT || (m.content.startsWith('{') && !LOCAL_URL.test(m.content));
}

/** Messages worth re-sending by themselves after a reconnect: recent network failures. */
export function autoRetryable(messages: readonly ChatMessage[], now: number): ChatMessage[] {
  return messages.filter((m) => m.netFail && canRetry(m) && now - m.sendTime < AUTO_RETRY_WINDOW_MS);
}

export class Outbox {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly tmpIds: TmpIds;

  constructor(private readonly deps: OutboxDeps) {
    this.tmpIds = new TmpIds(deps.clock, deps.random);
  }

  /** Send a message whose content is ready. Resolves when it is sent or marked FAILED. */
  send(chat: Chat, type: number, content: string, extras: SendExtras = {}): Promise<void> {
    const m = this.optimistic(chat, type, content, extras);
    return this.enqueue(() => this.deliver(chat, m));
  }

  /**
   * Send something that needs an upload first: the bubble shows now with `placeholder`
   * content (and a local preview), and takes its place in the queue now, so order is kept.
   * `produce` uploads and returns the final content.
   */
  sendUpload(
    chat: Chat,
    type: number,
    placeholder: string,
    localUrl: string | undefined,
    produce: () => Promise<string>,
  ): Promise<void> {
    const m = this.optimistic(chat, type, placeholder, localUrl ? { localUrl } : {});
    const uploading = produce();
    return this.enqueue(async () => {
      let content: string;
      try {
        content = await uploading;
      } catch (e) {
        this.deps.book.patch(chat, { tmpId: m.tmpId }, { status: ClientStatus.FAILED });
        throw e;
      }
      this.deps.book.patch(chat, { tmpId: m.tmpId }, { content });
      await this.deliver(chat, { ...m, content });
    });
  }

  /** Send a FAILED message again (when `canRetry`). */
  retry(chat: Chat, m: ChatMessage): Promise<void> {
    if (!canRetry(m) || !m.tmpId) return Promise.resolve();
    this.deps.book.patch(chat, { tmpId: m.tmpId }, { status: ClientStatus.SENDING });
    return this.enqueue(() => this.deliver(chat, { ...m, status: ClientStatus.SENDING }));
  }

  /** Re-send recent network failures in every chat (the connection is back). */
  retryNetworkFailures(chats: readonly Chat[] = this.deps.book.list()): void {
    const now = this.deps.clock.now();
    for (const chat of chats) for (const m of autoRetryable(chat.messages, now)) void this.retry(chat, m);
  }

  /** Errors end up on the message; the returned promise never rejects. */
  private enqueue(job: () => Promise<void>): Promise<void> {
    const run = this.queue.then(job, job);
    this.queue = run.catch(() => undefined);
    return run.catch(() => undefined);
  }

  private optimistic(chat: Chat, type: number, content: string, extras: SendExtras): ChatMessage {
    const me = this.deps.sender();
    const m: ChatMessage = {
      tmpId: this.tmpIds.next(),
      sendId: me.id,
      content,
      type,
      status: ClientStatus.SENDING,
      sendTime: this.deps.clock.now(),
      selfSend: true,
      sendNickName: me.nickName,
    };
    if (chat.type === 'PRIVATE') m.recvId = chat.targetId;
    else {
      m.groupId = chat.targetId;
      m.receipt = Boolean(extras.receipt);
      m.readedCount = 0;
      m.atUserIds = extras.atUserIds ?? [];
    }
    if (extras.localUrl) m.localUrl = extras.localUrl;
    if (extras.quote) m.quoteMessage = extras.quote;
    this.deps.book.insert(chat, [m], me.id, false);
    return m;
  }

  private async deliver(chat: Chat, m: ChatMessage): Promise<void> {
    const { api, book } = this.deps;
    const tmpId = m.tmpId!;
    const quote = m.quoteMessage ? { quoteMessageId: m.quoteMessage.id } : {};
    try {
      const vo =
        chat.type === 'PRIVATE'
          ? await api.sendPrivate({
              tmpId,
              recvId: chat.targetId,
              content: m.content,
              type: m.type,
              ...quote,
            })
          : await api.sendGroup({
              tmpId,
              groupId: chat.targetId,
              content: m.content,
              type: m.type,
              receipt: Boolean(m.receipt),
              atUserIds: m.atUserIds ?? [],
              ...quote,
            });
      book.patch(
        chat,
        { tmpId },
        {
          id: vo.id,
          status: vo.status,
          content: vo.content,
          sendTime: vo.sendTime ?? m.sendTime,
          netFail: false,
          failReason: undefined,
        },
      );
    } catch (e) {
      const refused = e instanceof ApiError;
      book.patch(
        chat,
        { tmpId },
        { status: ClientStatus.FAILED, netFail: !refused, failReason: refused ? e.message : undefined },
      );
      throw e;
    }
  }
}
