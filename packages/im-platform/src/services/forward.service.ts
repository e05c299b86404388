import {
  MessageStatus,
  MessageType,
  isUserMessageType,
  type ChatRecordContent,
  type ChatRecordItem,
  type GroupMessageVO,
  type PrivateMessageVO,
  type UserSession,
} from '@box-im/im-common';
import { AppError, GroupErrors, MessageErrors, PrivateMessageErrors } from '../errors';
import type { GroupMessageService } from './group-message.service';
import { bounds } from './group-message.service';
import { ownPrivate, visibleInGroup } from './message-access';
import type { PrivateMessageService } from './private-message.service';
import type { ServiceDeps } from './deps';

export type ChatKind = 'PRIVATE' | 'GROUP';

export interface ForwardInput {
  /** Which table `messageIds` are of. */
  sourceType: ChatKind;
  messageIds: readonly number[];
  /** One CHAT_RECORD message per target instead of one message per forwarded message. */
  merged: boolean;
  targets: readonly { type: ChatKind; targetId: number }[];
}

export interface ForwardResult {
  privateMessages: PrivateMessageVO[];
  groupMessages: GroupMessageVO[];
}

export type ForwardServiceDeps = Pick<
  ServiceDeps,
  'privateMessages' | 'groupMessages' | 'users' | 'friends' | 'groupAccess'
> & {
  privateMessage: PrivateMessageService;
  groupMessage: GroupMessageService;
};

/** Most bytes of a merged record's content (box-im's `content` is a MySQL TEXT: 65 535). */
const RECORD_MAX_BYTES = 60_000;

/** A stored message as forwarded: its kind and content, and who said it when (for records). */
type Source = ChatRecordItem;

/**
 * Forwarding: the caller's own messages or messages they may read (their private chats;
 * group messages they see) go to chats they may write to, one by one or merged into one
 * chat record. Contents are copied as stored, so files and images keep pointing at the same
 * stored object (no bytes are copied). Each message is sent through the ordinary send path
 * of its target (permission checks, ordering, pushes).
 */
export class ForwardService {
  constructor(private readonly deps: ForwardServiceDeps) {}

  async forward(session: UserSession, input: ForwardInput): Promise<ForwardResult> {
    const me = session.userId;
    const { items, names } =
      input.sourceType === 'PRIVATE'
        ? await this.privateSources(me, input.messageIds)
        : await this.groupSources(me, input.messageIds);
    await this.checkTargets(me, input.targets);
    const payloads = input.merged ? [record(input.sourceType, names, items)] : items;
    const result: ForwardResult = { privateMessages: [], groupMessages: [] };
    for (const target of input.targets) {
      for (const p of payloads) {
        const message = { content: p.content, type: p.type };
        if (target.type === 'PRIVATE') {
          const vo = await this.deps.privateMessage.send(
            session,
            { ...message, recvId: target.targetId },
            true,
          );
          result.privateMessages.push(vo);
        } else {
          const vo = await this.deps.groupMessage.send(
            session,
            { ...message, groupId: target.targetId },
            true,
          );
          result.groupMessages.push(vo);
        }
      }
    }
    return result;
  }

  private async privateSources(me: number, ids: readonly number[]) {
    const rows = (await this.deps.privateMessages.findByIds(ids)).sort((a, b) => a.id - b.id);
    if (rows.length !== new Set(ids).size || rows.some((r) => !ownPrivate(r, me)))
      throw new AppError(MessageErrors.FORWARD_NOT_FOUND);
    const peer = (r: { send_id: number; recv_id: number }) => (r.send_id === me ? r.recv_id : r.send_id);
    if (rows.some((r) => peer(r) !== peer(rows[0]!))) throw new AppError(MessageErrors.FORWARD_MIXED);
    rows.forEach(checkForwardable);
    const users = await this.deps.users.findByIds([me, peer(rows[0]!)]);
    const nick = new Map(users.map((u) => [u.id, u.nick_name]));
    const items = rows.map((r) => item(r, nick.get(r.send_id) ?? ''));
    return { items, names: [nick.get(me) ?? '', nick.get(peer(rows[0]!)) ?? ''] };
  }

  private async groupSources(me: number, ids: readonly number[]) {
    const rows = (await this.deps.groupMessages.findByIds(ids)).sort((a, b) => a.id - b.id);
    if (rows.length !== new Set(ids).size) throw new AppError(MessageErrors.FORWARD_NOT_FOUND);
    const groupId = rows[0]!.group_id;
    if (rows.some((r) => r.group_id !== groupId)) throw new AppError(MessageErrors.FORWARD_MIXED);
    const member = await this.deps.groupAccess.anyMembership(groupId, me, MessageErrors.FORWARD_NOT_FOUND);
    if (rows.some((r) => !visibleInGroup(r, me, bounds(member))))
      throw new AppError(MessageErrors.FORWARD_NOT_FOUND);
    rows.forEach(checkForwardable);
    const group = await this.deps.groupAccess.group(groupId);
    return { items: rows.map((r) => item(r, r.send_nick_name ?? '')), names: [group.name] };
  }

  /** Every target is checked before anything is sent, so that a bad one sends nothing. */
  private async checkTargets(me: number, targets: ForwardInput['targets']): Promise<void> {
    for (const t of targets) {
      if (t.type === 'PRIVATE') {
        if (t.targetId === me || !(await this.deps.friends.isFriend(me, t.targetId)))
          throw new AppError(PrivateMessageErrors.SEND_NOT_FRIEND);
      } else {
        const group = await this.deps.groupAccess.activeGroup(t.targetId);
        await this.deps.groupAccess.member(group.id, me, GroupErrors.SEND_NOT_MEMBER);
      }
    }
  }
}

function checkForwardable(row: { type: number; status: number }): void {
  if (!isUserMessageType(row.type) && row.type !== MessageType.CHAT_RECORD)
    throw new AppError(MessageErrors.FORWARD_TYPE);
  if (row.status === MessageStatus.RECALL) throw new AppError(MessageErrors.FORWARD_RECALLED);
}

function item(
  row: { send_id: number; type: number; content: string | null; send_time: Date },
  sendNickName: string,
): Source {
  return {
    sendId: row.send_id,
    sendNickName,
    type: row.type,
    content: row.content ?? '',
    sendTime: row.send_time.getTime(),
  };
}

function record(chatType: ChatKind, names: string[], items: Source[]): { type: number; content: string } {
  const body: ChatRecordContent = { chatType, names, items };
  const content = JSON.stringify(body);
  if (Buffer.byteLength(content, 'utf8') > RECORD_MAX_BYTES)
    throw new AppError(MessageErrors.FORWARD_TOO_LARGE);
  return { type: MessageType.CHAT_RECORD, content };
}
