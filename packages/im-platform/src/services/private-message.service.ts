import type { IMClient } from '@box-im/im-client';
import {
  ALL_TERMINALS,
  Limits,
  MessageStatus,
  MessageType,
  isUserMessageType,
  type IMUserInfo,
  type PrivateMessageVO,
  type UserSession,
} from '@box-im/im-common';
import type { Logger } from 'pino';
import type { PrivateMessageRow } from '../db';
import { AppError, MessageErrors, PrivateMessageErrors } from '../errors';
import type { FriendRepository } from '../repositories/friend.repository';
import type { PrivateMessageRepository } from '../repositories/private-message.repository';
import { checkMessageContent } from './message-content';
import { messageTime } from './message-time';
import type { SensitiveWordFilter } from './sensitive-words';
import type { UserOrderLock } from './user-order-lock';

export interface PrivateSendInput {
  tmpId?: string | null | undefined;
  recvId: number;
  content: string;
  type: number;
}

/** A server-made private message (friend tips), stored like any other and pushed to both sides. */
export interface NoticeInput {
  sender: IMUserInfo;
  recvId: number;
  type: number;
  content: string;
}

export interface PrivateMessageServiceDeps {
  messages: PrivateMessageRepository;
  friends: FriendRepository;
  im: IMClient;
  words: SensitiveWordFilter;
  order: UserOrderLock;
  log: Logger;
  /** The clock (tests move it to check the recall window). @default () => new Date() */
  now?: () => Date;
  /** Rows read per query while building an offline pull. @default 1000 */
  offlinePageSize?: number;
}

const DAY_MS = 24 * 3600 * 1000;
const DEFAULT_HISTORY_SIZE = 10;

/** The wire VO of a stored message (HTTP responses keep a null tmpId as box-im's Jackson does). */
export function toPrivateMessageVO(row: PrivateMessageRow): PrivateMessageVO {
  return {
    id: row.id,
    tmpId: row.tmp_id,
    sendId: row.send_id,
    recvId: row.recv_id,
    content: row.content ?? '',
    type: row.type,
    status: row.status,
    sendTime: row.send_time.getTime(),
  };
}

/** The VO as pushed: box-im's fastjson drops null fields. */
function pushed(vo: PrivateMessageVO): Partial<PrivateMessageVO> {
  return Object.fromEntries(Object.entries(vo).filter(([, v]) => v !== null && v !== undefined));
}

/**
 * Private messages. Every message is stored before it is acknowledged or pushed; pushes
 * are best effort (a lost push is recovered by the offline pull), and storing + queueing is
 * ordered per user (see `UserOrderLock`).
 */
export class PrivateMessageService {
  private readonly now: () => Date;
  private readonly pageSize: number;

  constructor(private readonly deps: PrivateMessageServiceDeps) {
    this.now = deps.now ?? (() => new Date());
    this.pageSize = deps.offlinePageSize ?? 1000;
  }

  /**
   * Send a message to a friend. Idempotent on (sender, tmpId): a retry returns the stored
   * message without storing or pushing it again.
   */
  async send(session: UserSession, input: PrivateSendInput): Promise<PrivateMessageVO> {
    const me = session.userId;
    if (input.recvId === me || !(await this.deps.friends.isFriend(me, input.recvId))) {
      throw new AppError(PrivateMessageErrors.SEND_NOT_FRIEND);
    }
    const tmpId =
      input.tmpId === undefined || input.tmpId === null || input.tmpId === '' ? null : input.tmpId;
    if (tmpId !== null) {
      const earlier = await this.retried(me, input.recvId, tmpId);
      if (earlier) return earlier;
    }
    const content = checkMessageContent(input.type, input.content, this.deps.words);
    const sender = { id: me, terminal: session.terminal };
    const vo = await this.storeAndPush(sender, input.recvId, { tmpId, type: input.type, content }, 'user');
    if (vo) return vo;
    // Lost the race against a concurrent retry with the same tmpId: that one was stored.
    const winner = await this.retried(me, input.recvId, tmpId!);
    if (!winner) throw new Error(`message with tmpId ${tmpId} vanished`);
    return winner;
  }

  /** Recall one of my messages within the recall window; returns the RECALL message. */
  async recall(session: UserSession, id: number): Promise<PrivateMessageVO> {
    const me = session.userId;
    const original = await this.deps.messages.findById(id);
    if (!original) throw new AppError(MessageErrors.MESSAGE_NOT_FOUND);
    if (original.send_id !== me) throw new AppError(MessageErrors.RECALL_NOT_SENDER);
    if (!isUserMessageType(original.type)) throw new AppError(MessageErrors.RECALL_TYPE);
    if (original.status === MessageStatus.RECALL) throw new AppError(MessageErrors.ALREADY_RECALLED);
    if (this.now().getTime() - original.send_time.getTime() > Limits.RECALL_WINDOW_SECONDS * 1000) {
      throw new AppError(MessageErrors.RECALL_EXPIRED);
    }
    const sender = { id: me, terminal: session.terminal };
    const vo = await this.deps.order.run([me, original.recv_id], async () => {
      if (!(await this.deps.messages.markRecalled(id))) throw new AppError(MessageErrors.ALREADY_RECALLED);
      return this.storeAndPushLocked(
        sender,
        original.recv_id,
        { tmpId: null, type: MessageType.RECALL, content: String(id) },
        'user',
      );
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
    const { messages } = this.deps;
    const since = new Date(this.now().getTime() - Limits.OFFLINE_MESSAGE_DAYS * DAY_MS);
    const size = this.pageSize;
    async function* pages(): AsyncGenerator<PrivateMessageVO[]> {
      const emit = async function* (rows: PrivateMessageRow[]) {
        yield rows.map(toPrivateMessageVO);
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

  /** Mark everything the friend sent me as read; sync my other terminals and tell the friend. */
  async readed(session: UserSession, friendId: number): Promise<void> {
    const me = session.userId;
    await this.deps.messages.markConversationRead(me, friendId);
    const others = ALL_TERMINALS.filter((t) => t !== session.terminal);
    const sender = { id: me, terminal: session.terminal };
    await this.push('readed', () =>
      this.deps.im.sendPrivateMessage({
        sender,
        recvId: me,
        recvTerminals: others,
        sendToSelf: false,
        sendResult: false,
        data: { type: MessageType.READED, sendId: me, recvId: friendId },
      }),
    );
    await this.push('receipt', () =>
      this.deps.im.sendPrivateMessage({
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
    return this.deps.messages.maxReadedId(session.userId, friendId);
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
    const rows = await this.deps.messages.history(me, friendId, (p - 1) * s, s);
    return rows.map(toPrivateMessageVO);
  }

  /** Store a server-made message (a tip) from `sender` to `recvId` and push it to every terminal of both. */
  async notice(input: NoticeInput): Promise<PrivateMessageVO> {
    const vo = await this.storeAndPush(
      input.sender,
      input.recvId,
      { tmpId: null, type: input.type, content: input.content },
      'both',
    );
    return vo!;
  }

  /** The stored message for a retried (sender, tmpId), or null if the tmpId is new. */
  private async retried(me: number, recvId: number, tmpId: string): Promise<PrivateMessageVO | null> {
    const row = await this.deps.messages.findBySenderTmpId(me, tmpId);
    if (!row) return null;
    if (row.recv_id !== recvId) throw new AppError(MessageErrors.TMP_ID_REUSED, { tmpId });
    return toPrivateMessageVO(row);
  }

  private storeAndPush(
    sender: IMUserInfo,
    recvId: number,
    message: { tmpId: string | null; type: number; content: string },
    audience: 'user' | 'both',
  ): Promise<PrivateMessageVO | null> {
    return this.deps.order.run([sender.id, recvId], () =>
      this.storeAndPushLocked(sender, recvId, message, audience),
    );
  }

  /**
   * Store, then queue the pushes (caller holds both users' order locks). `user`: the
   * receiver's terminals with delivery results and the sender's other terminals; `both`:
   * every terminal of both users. Returns null if the tmpId was taken meanwhile.
   */
  private async storeAndPushLocked(
    sender: IMUserInfo,
    recvId: number,
    message: { tmpId: string | null; type: number; content: string },
    audience: 'user' | 'both',
  ): Promise<PrivateMessageVO | null> {
    const sendTime = messageTime(this.now());
    const id = await this.deps.messages.insert({
      tmpId: message.tmpId,
      sendId: sender.id,
      recvId,
      content: message.content,
      type: message.type,
      status: MessageStatus.PENDING,
      sendTime,
    });
    if (id === null) return null;
    const vo: PrivateMessageVO = {
      id,
      tmpId: message.tmpId,
      sendId: sender.id,
      recvId,
      content: message.content,
      type: message.type,
      status: MessageStatus.PENDING,
      sendTime: sendTime.getTime(),
    };
    const data = pushed(vo);
    const { im } = this.deps;
    await this.push('message', () =>
      im.sendPrivateMessage({ sender, recvId, sendToSelf: audience === 'user', data }),
    );
    if (audience === 'both') {
      await this.push('notice', () =>
        im.sendPrivateMessage({ sender, recvId: sender.id, sendToSelf: false, sendResult: false, data }),
      );
    }
    return vo;
  }

  /** Pushes never fail a request: the message is stored and the offline pull recovers it. */
  private async push(what: string, fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      this.deps.log.warn({ err, what }, 'private push failed; the client will pull it');
    }
  }
}
