import {
  AT_ALL_USER_ID,
  Limits,
  MessageStatus,
  MessageType,
  isUserMessageType,
  type GroupMessageVO,
  type UserSession,
} from '@box-im/im-common';
import { daysAgo } from '../clock';
import type { GroupMemberRow, GroupRow } from '../db';
import { AppError, GroupErrors, MessageErrors } from '../errors';
import type { HistoryBounds } from '../repositories/group-message.repository';
import { parseIds, showNickName, toGroupMessageVO } from './group-support';
import { assertMaySpeak } from './group-moderation.service';
import { checkMessageContent } from './message-content';
import type { ServiceDeps } from './deps';

export interface SendGroupMessageInput {
  groupId: number;
  tmpId?: string | undefined;
  content: string;
  type: number;
  receipt?: boolean | undefined;
  atUserIds?: readonly number[] | undefined;
  /** The message this one replies to: one of this group's that the sender sees. */
  quoteMessageId?: number | null | undefined;
}

/** Most messages one offline pull returns (box-im: 50 000 for current groups). */
const OFFLINE_MAX = 50_000;
/** Messages read from the database per page of an offline pull. */
const OFFLINE_PAGE = 1000;

export type GroupMessageServiceDeps = Pick<
  ServiceDeps,
  | 'groupAccess'
  | 'groupMembers'
  | 'groupMessages'
  | 'groupWriter'
  | 'groupRead'
  | 'quotes'
  | 'words'
  | 'clock'
>;

/** Group chat: send, recall, offline pull, history. */
export class GroupMessageService {
  constructor(private readonly deps: GroupMessageServiceDeps) {}

  /**
   * Send a message to the group as a current member. Repeating a send with the same
   * `tmpId` returns the stored message without storing or pushing it again. Every other
   * member gets it, and so do the sender's other terminals.
   */
  async send(session: UserSession, input: SendGroupMessageInput, trusted = false): Promise<GroupMessageVO> {
    const group = await this.deps.groupAccess.activeGroup(input.groupId);
    const member = await this.deps.groupAccess.member(group.id, session.userId, GroupErrors.SEND_NOT_MEMBER);
    assertMaySpeak(group, member, this.deps.clock.now());
    // Forwards carry contents stored before (and the merged record type); users' sends are checked.
    const content = trusted ? input.content : checkMessageContent(input.type, input.content, this.deps.words);
    const memberIds = await this.deps.groupMembers.memberIds(group.id);
    const atUserIds = checkMentions(group, session.userId, input.atUserIds ?? [], new Set(memberIds));
    const quote = input.quoteMessageId
      ? await this.deps.quotes.groupQuote(group.id, session.userId, bounds(member), input.quoteMessageId)
      : undefined;
    const vo = await this.deps.groupWriter.write(
      {
        actor: session,
        groupId: group.id,
        type: input.type,
        content,
        sendNickName: showNickName(member),
        tmpId: input.tmpId?.trim() || null,
        atUserIds,
        receipt: input.receipt ?? false,
        quote,
      },
      { recvIds: memberIds.filter((uid) => uid !== session.userId), sendToSelf: true },
    );
    return vo!;
  }

  /** Recall one's own message within 300 s: a RECALL message (content = its id) goes to every member. */
  async recall(session: UserSession, messageId: number): Promise<GroupMessageVO> {
    const message = await this.deps.groupMessages.findById(messageId);
    if (!message) throw new AppError(MessageErrors.MESSAGE_NOT_FOUND);
    if (message.send_id !== session.userId) throw new AppError(MessageErrors.RECALL_NOT_SENDER);
    const group = await this.deps.groupAccess.group(message.group_id);
    if (group.dissolve) throw new AppError(GroupErrors.GROUP_DISSOLVED, { name: group.name });
    const member = await this.deps.groupAccess.member(group.id, session.userId, GroupErrors.NOT_IN_GROUP);
    if (!isUserMessageType(message.type)) throw new AppError(MessageErrors.RECALL_TYPE);
    if (message.status === MessageStatus.RECALL) throw new AppError(MessageErrors.ALREADY_RECALLED);
    if (this.deps.clock.now().getTime() - message.send_time.getTime() > Limits.RECALL_WINDOW_SECONDS * 1000) {
      throw new AppError(MessageErrors.RECALL_EXPIRED);
    }
    if (!(await this.deps.groupMessages.changeStatus(message.id, message.status, MessageStatus.RECALL))) {
      throw new AppError(MessageErrors.ALREADY_RECALLED);
    }
    const others = (await this.deps.groupMembers.memberIds(group.id)).filter((uid) => uid !== session.userId);
    const vo = await this.deps.groupWriter.write(
      {
        actor: session,
        groupId: group.id,
        type: MessageType.RECALL,
        content: String(message.id),
        sendNickName: showNickName(member),
        ...(message.recv_ids ? { visibleTo: parseIds(message.recv_ids) } : {}),
      },
      { recvIds: others, sendToSelf: true },
    );
    return vo!;
  }

  /**
   * Messages after `minId` from the last 30 days in the caller's groups, including the
   * groups they left (up to their leaving), oldest first, in pages (so that a large backlog
   * is never held in memory at once); at most the newest 50 000, as box-im. `status` is
   * READED when the caller's read position reaches the message (recalled ones stay RECALL);
   * the caller's own receipt messages carry their current `readedCount`.
   */
  async *loadOffline(session: UserSession, minId: number): AsyncGenerator<GroupMessageVO[]> {
    const since = daysAgo(this.deps.clock, Limits.OFFLINE_MESSAGE_DAYS);
    const window = { since, quitSince: since };
    const positions = new Map(
      (await this.deps.groupMembers.findForUser(session.userId, since)).map((m) => [
        m.group_id,
        m.readed_message_id,
      ]),
    );
    const receipts = this.deps.groupRead.receiptCounter(session.userId);
    let after = await this.deps.groupMessages.offlineStart(session.userId, minId, window, OFFLINE_MAX);
    for (;;) {
      const rows = await this.deps.groupMessages.offlinePage(session.userId, after, window, OFFLINE_PAGE);
      if (rows.length === 0) return;
      const unique = [...new Map(rows.map((r) => [r.id, r])).values()];
      const vos = unique.map((row) =>
        toGroupMessageVO(row, {
          status:
            row.status === MessageStatus.RECALL
              ? MessageStatus.RECALL
              : (positions.get(row.group_id) ?? 0) >= row.id
                ? MessageStatus.READED
                : MessageStatus.PENDING,
        }),
      );
      await receipts.fill(vos);
      await this.deps.quotes.attachGroup(unique, vos);
      yield vos;
      if (rows.length < OFFLINE_PAGE) return;
      after = rows[rows.length - 1]!.id;
    }
  }

  /** A page of the group's history (newest first), within what the caller may see. */
  async history(
    session: UserSession,
    groupId: number,
    page: number,
    size: number,
  ): Promise<GroupMessageVO[]> {
    const member = await this.deps.groupAccess.anyMembership(
      groupId,
      session.userId,
      GroupErrors.NOT_IN_GROUP,
    );
    const p = page > 0 ? page : 1;
    const s = size > 0 ? Math.min(size, Limits.HISTORY_PAGE_MAX) : 10;
    const rows = await this.deps.groupMessages.history(
      groupId,
      session.userId,
      bounds(member),
      (p - 1) * s,
      s,
    );
    const vos = rows.map((row) => toGroupMessageVO(row));
    await this.deps.groupRead.receiptCounter(session.userId).fill(vos);
    await this.deps.quotes.attachGroup(rows, vos);
    return vos;
  }
}

/** The part of a group's messages a member sees: after joining, until leaving. */
export function bounds(member: GroupMemberRow): HistoryBounds {
  const legacyJoin = member.join_message_id === 0;
  const legacyQuit = Boolean(member.quit) && member.quit_message_id === null;
  return {
    after: member.join_message_id,
    upTo: member.quit ? member.quit_message_id : null,
    since: legacyJoin ? member.created_time : null,
    until: legacyQuit ? member.quit_time : null,
  };
}

/**
 * The @ targets, deduplicated and sorted: at most 20, current members only, and -1 (@all)
 * from the owner only.
 */
function checkMentions(
  group: GroupRow,
  senderId: number,
  ids: readonly number[],
  members: Set<number>,
): number[] {
  const unique = [...new Set(ids)].sort((a, b) => a - b);
  if (unique.length > Limits.AT_USERS_MAX)
    throw new AppError(GroupErrors.AT_TOO_MANY, { max: Limits.AT_USERS_MAX });
  for (const id of unique) {
    if (id === AT_ALL_USER_ID) {
      if (group.owner_id !== senderId) throw new AppError(GroupErrors.AT_ALL_OWNER_ONLY);
    } else if (!members.has(id)) {
      throw new AppError(GroupErrors.AT_NOT_MEMBER, { userId: id });
    }
  }
  return unique;
}
