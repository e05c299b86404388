import {
  ALL_TERMINALS,
  Limits,
  MessageStatus,
  MessageType,
  isUserMessageType,
  type PrivateMessageVO,
  type UserSession,
} from '@box-im/im-common';
import { daysAgo } from '../clock';
import type { PrivateMessageRow } from '../db';
import { AppError, MessageErrors, PrivateMessageErrors } from '../errors';
import { checkMessageContent } from './message-content';
import { toPrivateMessageVO } from './private-message-writer';
import { pushBestEffort } from './pushes';
import type { ServiceDeps } from './deps';

export interface PrivateSendInput {
  tmpId?: string | null | undefined;
  recvId: number;
  content: string;
  type: number;
  /** The message this one replies to: one of this conversation's. */
  quoteMessageId?: number | null | undefined;
}

export type PrivateMessageServiceDeps = Pick<
  ServiceDeps,
  | 'privateMessages'
  | 'friends'
  | 'friendships'
  | 'privateWriter'
  | 'quotes'
  | 'im'
  | 'words'
  | 'clock'
  | 'log'
> & {
  /** Rows read per query while building an offline pull. @default 1000 */
  offlinePageSize?: number;
};

const DEFAULT_HISTORY_SIZE = 10;

/**
 * Private messages: permission checks and reads here; every write goes through the
 * `PrivateMessageWriter` (stored before acknowledged or pushed, ordered per user).
 */
export class PrivateMessageService {
  private readonly pageSize: number;

  constructor(private readonly deps: PrivateMessageServiceDeps) {
    this.pageSize = deps.offlinePageSize ?? 1000;
  }

  /**
   * Send a message to a friend (`trusted`: a forward of stored contents, see ForwardService). Idempotent on (sender, tmpId): a retry returns the stored
   * message without storing or pushing it again.
   */
  async send(session: UserSession, input: PrivateSendInput, trusted = false): Promise<PrivateMessageVO> {
    const me = session.userId;
    if (input.recvId === me || !(await this.deps.friendships.isFriend(me, input.recvId))) {
      throw new AppError(PrivateMessageErrors.SEND_NOT_FRIEND);
    }
    const tmpId =
      input.tmpId === undefined || input.tmpId === null || input.tmpId === '' ? null : input.tmpId;
    // Forwards carry contents stored before (and the merged record type); users' sends are checked.
    const content = trusted ? input.content : checkMessageContent(input.type, input.content, this.deps.words);
    const quote = input.quoteMessageId
      ? await this.deps.quotes.privateQuote(me, input.recvId, input.quoteMessageId)
      : undefined;
    const sender = { id: me, terminal: session.terminal };
    const draft = { sender, recvId: input.recvId, tmpId, type: input.type, content, quote };
    const vo = await this.deps.privateWriter.write(draft, 'conversation');
    if (vo) return vo;
    // The tmpId is taken (no lookup before the insert: retries are rare, sends are not): a retry
    // gets the stored message, a reuse for another receiver an error.
    const winner = await this.retried(me, input.recvId, tmpId!);
    if (!winner) throw new Error(`message with tmpId ${tmpId} vanished`);
    return winner;
  }

  /** Recall one of my messages within the recall window; returns the RECALL message. */
  async recall(session: UserSession, id: number): Promise<PrivateMessageVO> {
    const me = session.userId;
    const original = await this.deps.privateMessages.findById(id);
    if (!original) throw new AppError(MessageErrors.MESSAGE_NOT_FOUND);
    if (original.send_id !== me) throw new AppError(MessageErrors.RECALL_NOT_SENDER);
    if (!isUserMessageType(original.type)) throw new AppError(MessageErrors.RECALL_TYPE);
    if (original.status === MessageStatus.RECALL) throw new AppError(MessageErrors.ALREADY_RECALLED);
    if (
      this.deps.clock.now().getTime() - original.send_time.getTime() >
      Limits.RECALL_WINDOW_SECONDS * 1000
    ) {
      throw new AppError(MessageErrors.RECALL_EXPIRED);
    }
    const draft = {
      sender: { id: me, terminal: session.terminal },
      recvId: original.recv_id,
      tmpId: null,
      type: MessageType.RECALL,
      content: String(id),
    };
    const vo = await this.deps.privateWriter.write(draft, 'conversation', {
      beforeInsert: async () => {
        if (!(await this.deps.privateMessages.markRecalled(id)))
          throw new AppError(MessageErrors.ALREADY_RECALLED);
      },
    });
    return vo!;
  }

  /**
   * Everything of the caller after `minId` (both directions, last 30 days), ascending, plus
   * received messages below `minId` that never reached any terminal. Yields pages of at
   * most `offlinePageSize` messages; received PENDING rows become DELIVERED once their page
   * has been handed on.
   */
  offline(session: UserSession, minId: number): AsyncIterable<PrivateMessageVO[]> {
    const me = session.userId;
    const { privateMessages: messages, quotes } = this.deps;
    const since = daysAgo(this.deps.clock, Limits.OFFLINE_MESSAGE_DAYS);
    const size = this.pageSize;
    async function* pages(): AsyncGenerator<PrivateMessageVO[]> {
      const emit = async function* (rows: PrivateMessageRow[]) {
        const vos = rows.map(toPrivateMessageVO);
        await quotes.attachPrivate(rows, vos);
        yield vos;
        const pending = rows
          .filter((r) => r.recv_id === me && r.status === MessageStatus.PENDING)
          .map((r) => r.id);
        await messages.markDelivered(pending);
      };
      let after = 0;
      while (minId > 0) {
        const rows = await messages.pendingReceived(me, after, minId, since, size);
        if (rows.length === 0) break;
        yield* emit(rows);
        after = rows.at(-1)!.id;
        if (rows.length < size) break;
      }
      let cursor = Math.max(minId, 0);
      for (;;) {
        const rows = await messages.pageAfter(me, cursor, since, size);
        if (rows.length === 0) break;
        yield* emit(rows);
        cursor = rows.at(-1)!.id;
        if (rows.length < size) break;
      }
    }
    return pages();
  }

  /**
   * Mark everything the friend sent me as read; sync my other terminals and tell the friend.
   * Only with a friend, current or former, or someone who wrote to me: a stranger may not
   * push frames to anyone.
   */
  async readed(session: UserSession, friendId: number): Promise<void> {
    const me = session.userId;
    if (
      !(await this.deps.friends.find(me, friendId)) &&
      !(await this.deps.privateMessages.hasReceivedFrom(me, friendId))
    )
      throw new AppError(PrivateMessageErrors.READ_NOT_FRIEND);
    await this.deps.privateMessages.markConversationRead(me, friendId);
    const others = ALL_TERMINALS.filter((t) => t !== session.terminal);
    const sender = { id: me, terminal: session.terminal };
    const { im, log } = this.deps;
    await pushBestEffort(log, 'readed', () =>
      im.sendPrivateMessage({
        sender,
        recvId: me,
        recvTerminals: others,
        sendToSelf: false,
        sendResult: false,
        data: { type: MessageType.READED, sendId: me, recvId: friendId },
      }),
    );
    await pushBestEffort(log, 'receipt', () =>
      im.sendPrivateMessage({
        sender,
        recvId: friendId,
        sendToSelf: false,
        sendResult: false,
        data: { type: MessageType.RECEIPT, sendId: me, recvId: friendId },
      }),
    );
  }

  /** Highest id of my messages to `friendId` that the friend has read, or -1. */
  maxReadedId(session: UserSession, friendId: number): Promise<number> {
    return this.deps.privateMessages.maxReadedId(session.userId, friendId);
  }

  /** A page of the conversation with a friend (or former friend), newest first. */
  async history(
    session: UserSession,
    friendId: number,
    page: number,
    size: number,
  ): Promise<PrivateMessageVO[]> {
    const me = session.userId;
    if (!(await this.deps.friends.find(me, friendId)))
      throw new AppError(PrivateMessageErrors.HISTORY_NOT_FRIEND);
    const p = page > 0 ? page : 1;
    const s = size > 0 ? Math.min(size, Limits.HISTORY_PAGE_MAX) : DEFAULT_HISTORY_SIZE;
    const rows = await this.deps.privateMessages.history(me, friendId, (p - 1) * s, s);
    const vos = rows.map(toPrivateMessageVO);
    await this.deps.quotes.attachPrivate(rows, vos);
    return vos;
  }

  /** The stored message for a retried (sender, tmpId), or null if the tmpId is new. */
  private async retried(me: number, recvId: number, tmpId: string): Promise<PrivateMessageVO | null> {
    const row = await this.deps.privateMessages.findBySenderTmpId(me, tmpId);
    if (!row) return null;
    if (row.recv_id !== recvId) throw new AppError(MessageErrors.TMP_ID_REUSED, { tmpId });
    const vo = toPrivateMessageVO(row);
    await this.deps.quotes.attachPrivate([row], [vo]);
    return vo;
  }
}
