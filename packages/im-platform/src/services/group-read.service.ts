import { MessageType, type GroupMessageVO, type UserSession } from '@box-im/im-common';
import type { GroupMessageRow } from '../db';
import { AppError, GroupErrors, MessageErrors } from '../errors';
import type { ServiceDeps } from './deps';

/** Max receipt messages updated by one read (box-im: 10). */
const RECEIPTS_PER_READ = 100;

/**
 * Read positions of group members, kept in the database (`readed_message_id`), and the
 * read receipts derived from them.
 */
export type GroupReadServiceDeps = Pick<
  ServiceDeps,
  'groupAccess' | 'groupMembers' | 'groupMessages' | 'groupPush' | 'clock'
>;

export class GroupReadService {
  constructor(private readonly deps: GroupReadServiceDeps) {}

  /**
   * The caller has read the group up to `messageId` (default: its latest message). Their
   * other terminals get READED; senders of receipt messages now read by one more member
   * get RECEIPT with the new `readedCount` and `receiptOk`. A former member's call is a
   * no-op (their client may still show the chat).
   */
  async readed(session: UserSession, groupId: number, messageId?: number): Promise<void> {
    const member = await this.deps.groupAccess.anyMembership(groupId, session.userId, GroupErrors.NOT_MEMBER);
    if (member.quit) return;
    const latest = await this.deps.groupMessages.maxId(groupId);
    const upTo = Math.min(messageId ?? latest, latest);
    if (upTo <= 0) return;
    await this.deps.groupPush.toOwnTerminals(session, {
      groupId,
      type: MessageType.READED,
      sendId: session.userId,
      sendTime: this.deps.clock.now().getTime(),
    });
    const from = member.readed_message_id;
    if (upTo <= from || !(await this.deps.groupMembers.advanceReadPosition(groupId, session.userId, upTo)))
      return;

    const receipts = (
      await this.deps.groupMessages.receiptsBetween(
        groupId,
        Math.max(from, member.join_message_id),
        upTo,
        RECEIPTS_PER_READ,
      )
    ).filter((m) => m.send_id !== session.userId);
    if (receipts.length === 0) return;
    const positions = await this.deps.groupMembers.readPositions(groupId);
    const done: number[] = [];
    for (const message of receipts) {
      const { readedCount, receiptOk } = receiptState(message, positions);
      if (receiptOk && !message.receipt_ok) done.push(message.id);
      await this.deps.groupPush.send(session, [message.send_id], {
        id: message.id,
        groupId,
        type: MessageType.RECEIPT,
        readedCount,
        receiptOk,
        sendTime: this.deps.clock.now().getTime(),
      });
    }
    await this.deps.groupMessages.markReceiptOk(done);
  }

  /** Ids of the current members who have read the message (its sender left out). */
  async findReadedUsers(session: UserSession, groupId: number, messageId: number): Promise<number[]> {
    await this.deps.groupAccess.member(groupId, session.userId, GroupErrors.NOT_IN_GROUP);
    const message = await this.deps.groupMessages.findById(messageId);
    if (!message) throw new AppError(MessageErrors.MESSAGE_NOT_FOUND);
    if (message.group_id !== groupId) throw new AppError(GroupErrors.MESSAGE_NOT_IN_GROUP);
    const positions = await this.deps.groupMembers.readPositions(groupId);
    return [
      ...new Set(
        positions
          .filter((p) => p.user_id !== message.send_id && p.readed_message_id >= message.id)
          .map((p) => p.user_id),
      ),
    ];
  }

  /**
   * Fills `readedCount` / `receiptOk` of the user's own receipt messages in lists of VOs,
   * reading the member positions of each group concerned once.
   */
  receiptCounter(userId: number): { fill(vos: GroupMessageVO[]): Promise<void> } {
    const cache = new Map<number, { user_id: number; readed_message_id: number }[]>();
    return {
      fill: async (vos) => {
        for (const vo of vos) {
          if (!vo.receipt || vo.sendId !== userId) continue;
          let positions = cache.get(vo.groupId);
          if (!positions)
            cache.set(vo.groupId, (positions = await this.deps.groupMembers.readPositions(vo.groupId)));
          const state = receiptState({ id: vo.id, send_id: vo.sendId }, positions);
          vo.readedCount = state.readedCount;
          vo.receiptOk = vo.receiptOk || state.receiptOk;
        }
      },
    };
  }
}

/** Readers of a message among the current members (sender excluded), and whether all have read it. */
function receiptState(
  message: Pick<GroupMessageRow, 'id' | 'send_id'>,
  positions: { user_id: number; readed_message_id: number }[],
): { readedCount: number; receiptOk: boolean } {
  const others = new Map<number, number>();
  for (const p of positions) {
    if (p.user_id !== message.send_id)
      others.set(p.user_id, Math.max(others.get(p.user_id) ?? 0, p.readed_message_id));
  }
  let readedCount = 0;
  for (const pos of others.values()) if (pos >= message.id) readedCount++;
  return { readedCount, receiptOk: others.size > 0 && readedCount >= others.size };
}
