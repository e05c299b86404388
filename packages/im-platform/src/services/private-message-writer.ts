import {
  MessageStatus,
  type IMUserInfo,
  type PrivateMessageVO,
  type QuoteMessageVO,
} from '@box-im/im-common';
import { messageTime } from '../clock';
import { OrderKey } from '../concurrency/keyed-serial-queue';
import type { PrivateMessageRow } from '../db';
import { pushBestEffort, withoutNulls } from './pushes';
import type { ServiceDeps } from './deps';

/** A private message about to be stored. */
export interface PrivateDraft {
  /** The sending user; `terminal` is the one it came from (SYSTEM_TERMINAL for server-made ones). */
  sender: IMUserInfo;
  recvId: number;
  tmpId: string | null;
  type: number;
  content: string;
  /** @default PENDING */
  status?: number;
  /** The message this one replies to (checked by the service). */
  quote?: QuoteMessageVO | undefined;
}

/**
 * Who gets the pushes of a new message:
 * - `conversation`: the receiver's terminals (with delivery results) and the sender's other
 *   terminals (a user's message);
 * - `both-sides`: every terminal of both users (server-made messages: tips, call records).
 */
export type PrivateAudience = 'conversation' | 'both-sides';

export interface WriteOptions {
  /** Runs under the ordering keys just before the insert (e.g. marking the recalled original). */
  beforeInsert?: () => Promise<void>;
}

export type PrivateMessageWriterDeps = Pick<
  ServiceDeps,
  'privateMessages' | 'im' | 'order' | 'clock' | 'log'
>;

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

/**
 * The one write path of `im_private_message`: user messages, recalls, friend tips and call
 * records all go through `write`, which takes both users' ordering keys, reads the clock,
 * queues the insert in the group commit, then (in id order per user) awaits the commit, builds
 * the VO and queues the pushes. Storing before pushing makes the database
 * the source of truth; the ordering keys make every user learn their message ids in
 * ascending order (see `KeyedSerialQueue`).
 */
export class PrivateMessageWriter {
  constructor(private readonly deps: PrivateMessageWriterDeps) {}

  /** Store and push; null when the sender's tmpId is already taken (a concurrent retry won). */
  write(
    draft: PrivateDraft,
    audience: PrivateAudience,
    options: WriteOptions = {},
  ): Promise<PrivateMessageVO | null> {
    const keys = [OrderKey.user(draft.sender.id), OrderKey.user(draft.recvId)];
    return this.deps.order.pipeline(
      keys,
      async () => {
        await options.beforeInsert?.();
        const row = {
          tmp_id: draft.tmpId,
          send_id: draft.sender.id,
          recv_id: draft.recvId,
          content: draft.content,
          type: draft.type,
          status: draft.status ?? MessageStatus.PENDING,
          send_time: messageTime(this.deps.clock),
          quote_message_id: draft.quote?.id ?? null,
        };
        // Queued in the group commit under the keys (ids follow this order); awaited in finish.
        const id = this.deps.privateMessages.insert(row);
        id.catch(() => undefined);
        return { row, id };
      },
      async ({ row, id: stored }) => {
        const id = await stored;
        if (id === null) return null;
        const vo = toPrivateMessageVO({ ...row, id });
        if (draft.quote) vo.quoteMessage = draft.quote;
        await this.push(draft.sender, vo, audience);
        return vo;
      },
    );
  }

  private async push(sender: IMUserInfo, vo: PrivateMessageVO, audience: PrivateAudience): Promise<void> {
    const { im, log } = this.deps;
    const data = withoutNulls(vo);
    const context = { messageId: vo.id };
    await pushBestEffort(
      log,
      'private message',
      () =>
        im.sendPrivateMessage({ sender, recvId: vo.recvId, sendToSelf: audience === 'conversation', data }),
      context,
    );
    if (audience === 'both-sides') {
      await pushBestEffort(
        log,
        'private message to the sender',
        () =>
          im.sendPrivateMessage({ sender, recvId: sender.id, sendToSelf: false, sendResult: false, data }),
        context,
      );
    }
  }
}
