import { MessageStatus, MessageType, isUserMessageType } from '@box-im/im-common';
import type { GroupMessageVO, QuoteMessageVO, UserSession } from '@box-im/im-common';
import { messageTime } from '../clock';
import { OrderKey } from '../concurrency/keyed-serial-queue';
import type { GroupMessageRow } from '../db';
import { AppError, MessageErrors } from '../errors';
import type { NewGroupMessage } from '../repositories/group-message.repository';
import { toGroupMessageVO } from './group-support';
import type { ServiceDeps } from './deps';

/** A group message about to be stored. */
export interface GroupDraft {
  /** Who it is from: a member, or box-im's admin (user 0) for ban tips. */
  actor: UserSession;
  groupId: number;
  type: number;
  content: string;
  /** The sender's name in the group. @default the actor's nickname */
  sendNickName?: string;
  /** The client's temp id: a retry returns the stored message without storing or pushing again. */
  tmpId?: string | null;
  atUserIds?: readonly number[];
  receipt?: boolean;
  /** The only members who may see it (e.g. "you were removed"). @default every member */
  visibleTo?: readonly number[];
  /** The message this one replies to (checked by the service). */
  quote?: QuoteMessageVO | undefined;
}

/** Who gets the push of a new message. */
export interface GroupAudience {
  recvIds: readonly number[];
  /** Also the actor's other terminals. @default false */
  sendToSelf?: boolean;
}

export interface GroupWriteOptions {
  /**
   * Insert the row another way (e.g. in one transaction with members leaving); returns its
   * id, or null when the message must not be written (then nothing is pushed).
   */
  insert?: (row: NewGroupMessage) => Promise<number | null>;
}

/** What `write` holds between queueing the insert and pushing: a stored retry, or the pending id. */
type Entered = { retried: GroupMessageVO } | { row: NewGroupMessage; id: Promise<number | null> };

export type GroupMessageWriterDeps = Pick<ServiceDeps, 'groupMessages' | 'groupPush' | 'order' | 'clock'>;

/**
 * The one write path of `im_group_message`: user messages, recalls and tips all go through
 * `write`, which takes the group's ordering key (a group's messages are pushed in id order),
 * reads the clock, queues the insert in the group commit, then (in id order) awaits the commit,
 * builds the VO and queues the push. Storing before pushing makes
 * the database the source of truth.
 */
export class GroupMessageWriter {
  constructor(private readonly deps: GroupMessageWriterDeps) {}

  /** Store and push; null when `options.insert` declined the write. */
  write(
    draft: GroupDraft,
    audience: GroupAudience,
    options: GroupWriteOptions = {},
  ): Promise<GroupMessageVO | null> {
    const { groupMessages: messages, groupPush: push, order } = this.deps;
    const tmpId = draft.tmpId ?? null;
    return order.pipeline(
      [OrderKey.group(draft.groupId)],
      async (): Promise<Entered> => {
        // Checked under the group's key, so that concurrent retries of one process store one message.
        const retried = tmpId ? await this.stored(draft, tmpId) : undefined;
        if (retried) return { retried };
        const row = this.row(draft, tmpId);
        // Queued in the group commit under the key (ids follow this order); awaited in finish.
        const id = options.insert ? options.insert(row) : messages.insertUnlessTmpIdTaken(row);
        id.catch(() => undefined);
        return { row, id };
      },
      async (entered) => {
        if ('retried' in entered) return entered.retried;
        const { row } = entered;
        const id = await entered.id;
        if (id === null) {
          if (!tmpId) return null;
          // A concurrent retry (this or another platform process) stored it first, or the tmpId was used elsewhere.
          const winner = await this.stored(draft, tmpId);
          if (winner) return winner;
          throw new AppError(MessageErrors.TMP_ID_REUSED, { tmpId });
        }
        const vo = newMessageVO({
          ...row,
          id,
          receipt_ok: 0,
          quote_message_id: row.quote_message_id ?? null,
        });
        if (draft.quote) vo.quoteMessage = draft.quote;
        await push.send(draft.actor, audience.recvIds, vo, { sendToSelf: audience.sendToSelf ?? false });
        return vo;
      },
    );
  }

  /** A tip (type 21): the system line shown in the chat for a group event. */
  tip(
    draft: Omit<GroupDraft, 'type' | 'tmpId' | 'atUserIds' | 'receipt'>,
    audience: GroupAudience,
    options: GroupWriteOptions = {},
  ): Promise<GroupMessageVO | null> {
    return this.write({ ...draft, type: MessageType.TIP_TEXT }, audience, options);
  }

  private async stored(draft: GroupDraft, tmpId: string): Promise<GroupMessageVO | undefined> {
    const row = await this.deps.groupMessages.findByTmpId(draft.groupId, draft.actor.userId, tmpId);
    return row && { ...newMessageVO(row), ...(draft.quote ? { quoteMessage: draft.quote } : {}) };
  }

  private row(draft: GroupDraft, tmpId: string | null): NewGroupMessage {
    const at = draft.atUserIds ?? [];
    return {
      tmp_id: tmpId,
      group_id: draft.groupId,
      send_id: draft.actor.userId,
      send_nick_name: draft.sendNickName ?? draft.actor.nickName,
      recv_ids: draft.visibleTo ? draft.visibleTo.join(',') : '',
      content: draft.content,
      at_user_ids: at.length > 0 ? at.join(',') : null,
      receipt: draft.receipt ? 1 : 0,
      type: draft.type,
      status: MessageStatus.PENDING,
      send_time: messageTime(this.deps.clock),
      quote_message_id: draft.quote?.id ?? null,
    };
  }
}

/** The VO of a message as written: only user messages carry @ targets (tips and recalls: null). */
function newMessageVO(row: GroupMessageRow): GroupMessageVO {
  return toGroupMessageVO(row, isUserMessageType(row.type) ? {} : { atUserIds: null });
}
