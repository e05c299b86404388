/**
 * What the group services share: loading a group or a membership with the permission
 * checks box-im makes, the VO mappers, and pushes to group members.
 */
import { type GroupMemberVO, type GroupMessageVO, type GroupVO, type UserSession } from '@box-im/im-common';
import { BusLock, type Bus } from '@box-im/im-bus';
import { PlatformKey } from '../bus-keys';
import type { GroupMemberRow, GroupMessageRow, GroupRow } from '../db';
import { AppError, GroupErrors, type ErrorDef } from '../errors';
import { pushBestEffort, withoutNulls } from './pushes';
import type { ServiceDeps } from './deps';

/** Loads groups and memberships, throwing the matching error when the caller may not act. */
export class GroupAccess {
  constructor(private readonly deps: Pick<ServiceDeps, 'groups' | 'groupMembers'>) {}

  /** The group, whatever its state. */
  async group(groupId: number): Promise<GroupRow> {
    const group = await this.deps.groups.findById(groupId);
    if (!group) throw new AppError(GroupErrors.GROUP_NOT_FOUND);
    return group;
  }

  /** The group if it is neither dissolved nor (with `allowBanned` false) banned. */
  async activeGroup(groupId: number, allowBanned = false): Promise<GroupRow> {
    const group = await this.group(groupId);
    if (group.dissolve) throw new AppError(GroupErrors.GROUP_DISSOLVED, { name: group.name });
    if (group.is_banned && !allowBanned) {
      throw new AppError(GroupErrors.GROUP_BANNED, { name: group.name, reason: group.reason });
    }
    return group;
  }

  /** The caller's current (not quit) membership, else `error`. */
  async member(
    groupId: number,
    userId: number,
    error: ErrorDef = GroupErrors.NOT_MEMBER,
  ): Promise<GroupMemberRow> {
    const row = await this.deps.groupMembers.find(groupId, userId);
    if (!row || row.quit) throw new AppError(error);
    return row;
  }

  /** The caller's membership, current or past, else `error`. */
  async anyMembership(groupId: number, userId: number, error: ErrorDef): Promise<GroupMemberRow> {
    const row = await this.deps.groupMembers.find(groupId, userId);
    if (!row) throw new AppError(error);
    return row;
  }
}

function blank(s: string | null | undefined): boolean {
  return !s || s.trim() === '';
}

/** The member's name in the group: their remark, else their nickname. */
export function showNickName(member: GroupMemberRow): string {
  return blank(member.remark_nick_name) ? member.user_nick_name : member.remark_nick_name;
}

/**
 * The group's profile as the member may see it: the current one for members, the one it had
 * when they left for former members (later names, notices and avatars are not theirs).
 */
export function groupAsSeenBy(group: GroupRow, member: GroupMemberRow): GroupRow {
  if (!member.quit) return group;
  return {
    ...group,
    name: member.quit_group_name ?? group.name,
    notice: member.quit_group_notice ?? group.notice,
    head_image: member.quit_group_head_image ?? group.head_image,
    head_image_thumb: member.quit_group_head_image_thumb ?? group.head_image_thumb,
  };
}

/**
 * The group's member rows as they stood when `former` left: those who joined later are left
 * out, those in the group then are shown as members (leaving since is not shown), those who
 * had left before keep `quit`.
 */
export function membersWhenLeft(rows: GroupMemberRow[], former: GroupMemberRow): GroupMemberRow[] {
  const lastId = former.quit_message_id;
  const leftAt = former.quit_time?.getTime() ?? 0;
  // rows box-im wrote have no message bounds: compare times then
  const joinedLater = (r: GroupMemberRow) =>
    lastId !== null ? r.join_message_id >= lastId : r.created_time.getTime() > leftAt;
  const leftBefore = (r: GroupMemberRow) =>
    Boolean(r.quit) &&
    (lastId !== null && r.quit_message_id !== null
      ? r.quit_message_id < lastId
      : (r.quit_time?.getTime() ?? Infinity) < leftAt);
  return rows
    .filter((r) => r.user_id === former.user_id || !joinedLater(r))
    .map((r) => (r.user_id === former.user_id ? r : { ...r, quit: leftBefore(r) ? 1 : 0 }));
}

/** The group as one member sees it (former members: as it was when they left). */
export function toGroupVO(current: GroupRow, member: GroupMemberRow): GroupVO {
  const group = groupAsSeenBy(current, member);
  return {
    id: group.id,
    name: group.name,
    ownerId: group.owner_id,
    headImage: group.head_image ?? '',
    headImageThumb: group.head_image_thumb ?? '',
    notice: group.notice ?? '',
    remarkNickName: member.remark_nick_name ?? '',
    showNickName: showNickName(member),
    showGroupName: blank(member.remark_group_name) ? group.name : member.remark_group_name,
    remarkGroupName: member.remark_group_name ?? '',
    dissolve: Boolean(group.dissolve),
    quit: Boolean(member.quit),
    isBanned: Boolean(group.is_banned),
    reason: group.reason ?? '',
    isDnd: member.is_dnd === null ? null : Boolean(member.is_dnd),
    isAdmin: Boolean(member.is_admin),
    muteUntil: member.mute_end_time?.getTime() ?? null,
    allMuted: Boolean(group.all_muted),
  };
}

export function toGroupMemberVO(group: GroupRow, member: GroupMemberRow, online: boolean): GroupMemberVO {
  return {
    userId: member.user_id,
    showNickName: showNickName(member),
    remarkNickName: member.remark_nick_name ?? '',
    headImage: member.head_image ?? '',
    quit: Boolean(member.quit),
    online,
    showGroupName: blank(member.remark_group_name) ? group.name : member.remark_group_name,
    remarkGroupName: member.remark_group_name ?? '',
    isAdmin: Boolean(member.is_admin),
    muteUntil: member.mute_end_time?.getTime() ?? null,
  };
}

/** Owner or admin: may remove members, edit the notice and mute. */
export function isManager(group: GroupRow, member: GroupMemberRow | undefined): boolean {
  if (!member || member.quit) return false;
  return group.owner_id === member.user_id || Boolean(member.is_admin);
}

/** `"3,1,2"` → `[1, 2, 3]` (box-im stores @ targets as comma text). */
export function parseIds(text: string | null | undefined): number[] {
  if (!text) return [];
  return text
    .split(',')
    .map((s) => Number(s.trim()))
    .filter((n) => Number.isSafeInteger(n));
}

/** A message as the group's members see it (`overrides` fill what reads compute, e.g. the status). */
export function toGroupMessageVO(
  row: GroupMessageRow,
  overrides: Partial<GroupMessageVO> = {},
): GroupMessageVO {
  return {
    id: row.id,
    tmpId: row.tmp_id,
    groupId: row.group_id,
    sendId: row.send_id,
    sendNickName: row.send_nick_name ?? '',
    content: row.content ?? '',
    type: row.type,
    receipt: Boolean(row.receipt),
    receiptOk: Boolean(row.receipt_ok),
    readedCount: 0,
    atUserIds: parseIds(row.at_user_ids),
    status: row.status,
    sendTime: row.send_time.getTime(),
    ...overrides,
  };
}

export interface PushOptions {
  /** Also reach the actor's other terminals. @default false */
  sendToSelf?: boolean;
}

/**
 * Pushes (cmd 4) to group members through im-client: one queue item per push node for
 * all its receivers. Delivery results are not needed (group messages have no delivered
 * state). A failed push is logged, never thrown: what it announces is already stored,
 * and clients fetch it on reconnect.
 */
export class GroupPush {
  constructor(private readonly deps: Pick<ServiceDeps, 'im' | 'log'>) {}

  async send(
    actor: UserSession,
    recvIds: readonly number[],
    data: object,
    options: PushOptions = {},
  ): Promise<void> {
    const sendToSelf = options.sendToSelf ?? false;
    if (recvIds.length === 0 && !sendToSelf) return;
    await pushBestEffort(
      this.deps.log,
      'group message',
      () =>
        this.deps.im.sendGroupMessage({
          sender: { id: actor.userId, terminal: actor.terminal },
          recvIds,
          sendToSelf,
          sendResult: false,
          data: withoutNulls(data),
        }),
      { recvCount: recvIds.length },
    );
  }

  /** Only the actor's other terminals (multi-terminal sync). */
  toOwnTerminals(actor: UserSession, data: object): Promise<void> {
    return this.send(actor, [], data, { sendToSelf: true });
  }
}

/**
 * Run `fn` holding the group's member lock (invitations must not overshoot the member
 * limit, across platform processes). Waits up to 5 s for the lock, then reports the group
 * as busy.
 */
export function withGroupLock<T>(bus: Bus, groupId: number, fn: () => Promise<T>): Promise<T> {
  return new BusLock(bus, PlatformKey.lock(`group:enter:${groupId}`), 15_000).runExclusive(fn, {
    waitMs: 5000,
    onBusy: () => {
      throw new AppError(GroupErrors.BUSY);
    },
  });
}
