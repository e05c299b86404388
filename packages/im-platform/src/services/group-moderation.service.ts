import { MessageType, type GroupVO, type UserSession } from '@box-im/im-common';
import type { GroupMemberRow, GroupRow } from '../db';
import { AppError, GroupErrors } from '../errors';
import { isManager, showNickName, toGroupVO } from './group-support';
import type { ServiceDeps } from './deps';

/** Longest mute of one member: 30 days, in minutes. */
export const MUTE_MAX_MINUTES = 30 * 24 * 60;

export type GroupModerationServiceDeps = Pick<
  ServiceDeps,
  'groupAccess' | 'groups' | 'groupMembers' | 'groupWriter' | 'groupPush' | 'clock'
>;

/**
 * Group admins and mute (issue 15): the owner appoints and removes admins and hands the group
 * over; the owner and admins mute one member for a while or the whole group (they may still
 * speak). Each change leaves a tip in the chat; the changed fields reach clients as GROUP_NEW
 * (box-im clients merge and ignore the fields they do not know).
 */
export class GroupModerationService {
  constructor(private readonly deps: GroupModerationServiceDeps) {}

  /** The owner makes a member an admin, or an admin a member again. */
  async setAdmin(session: UserSession, groupId: number, userId: number, isAdmin: boolean): Promise<void> {
    const { group } = await this.asOwner(session, groupId);
    const target = await this.target(group, userId);
    if (Boolean(target.is_admin) === isAdmin) return;
    await this.deps.groupMembers.setAdmin(target.id, isAdmin);
    const name = showNickName(target);
    await this.tip(
      session,
      group,
      isAdmin ? `'${session.nickName}'将'${name}'设为管理员` : `'${session.nickName}'取消了'${name}'的管理员`,
    );
    await this.pushMember(session, group.id, userId);
  }

  /**
   * Mute a member for `minutes` (0: unmute). Owner or admin; admins may not mute the owner
   * or other admins, nobody mutes the owner.
   */
  async mute(session: UserSession, groupId: number, userId: number, minutes: number): Promise<void> {
    const { group } = await this.asManager(session, groupId);
    const target = await this.target(group, userId);
    if (group.owner_id !== session.userId && target.is_admin)
      throw new AppError(GroupErrors.ADMIN_OVER_ADMIN);
    const until = minutes > 0 ? new Date(this.deps.clock.now().getTime() + minutes * 60_000) : null;
    await this.deps.groupMembers.setMuteUntil(target.id, until);
    const name = showNickName(target);
    await this.tip(
      session,
      group,
      until
        ? `'${name}'被'${session.nickName}'禁言${formatMinutes(minutes)}`
        : `'${name}'被'${session.nickName}'解除禁言`,
    );
    await this.pushMember(session, group.id, userId);
  }

  /** Mute or unmute everyone but the owner and admins. */
  async muteAll(session: UserSession, groupId: number, muted: boolean): Promise<void> {
    const { group } = await this.asManager(session, groupId);
    if (Boolean(group.all_muted) === muted) return;
    await this.deps.groups.setAllMuted(group.id, muted);
    await this.tip(session, group, `'${session.nickName}'${muted ? '开启' : '关闭'}了全员禁言`);
    await this.pushShared(session, group.id);
  }

  /** The owner hands the group to another current member. */
  async transfer(session: UserSession, groupId: number, userId: number): Promise<GroupVO> {
    const { group, me } = await this.asOwner(session, groupId);
    const target = await this.target(group, userId);
    if (!(await this.deps.groups.transferOwner(group.id, session.userId, target.id, userId))) {
      throw new AppError(GroupErrors.OWNER_ONLY);
    }
    await this.tip(session, group, `'${session.nickName}'将群主转让给'${showNickName(target)}'`);
    await this.pushShared(session, group.id);
    await this.pushMember(session, group.id, userId);
    return toGroupVO({ ...group, owner_id: userId }, me);
  }

  private async asManager(session: UserSession, groupId: number) {
    const group = await this.deps.groupAccess.activeGroup(groupId);
    const me = await this.deps.groupMembers.find(group.id, session.userId);
    if (!isManager(group, me)) throw new AppError(GroupErrors.ADMIN_ONLY);
    return { group, me: me! };
  }

  private async asOwner(session: UserSession, groupId: number) {
    const group = await this.deps.groupAccess.activeGroup(groupId);
    if (group.owner_id !== session.userId) throw new AppError(GroupErrors.OWNER_ONLY);
    const me = await this.deps.groupAccess.member(group.id, session.userId);
    return { group, me };
  }

  /** A current member other than the owner and the caller. */
  private async target(group: GroupRow, userId: number): Promise<GroupMemberRow> {
    if (userId === group.owner_id) throw new AppError(GroupErrors.TARGET_IS_OWNER);
    const row = await this.deps.groupMembers.find(group.id, userId);
    if (!row || row.quit) throw new AppError(GroupErrors.USER_NOT_IN_GROUP, { userId });
    return row;
  }

  private async tip(session: UserSession, group: GroupRow, content: string): Promise<void> {
    const recvIds = await this.deps.groupMembers.memberIds(group.id);
    await this.deps.groupWriter.tip({ actor: session, groupId: group.id, content }, { recvIds });
  }

  /** The member's whole GroupVO as GROUP_NEW to their terminals (their admin flag or mute changed). */
  private async pushMember(session: UserSession, groupId: number, userId: number): Promise<void> {
    const group = await this.deps.groupAccess.group(groupId);
    const member = await this.deps.groupAccess.member(groupId, userId);
    await this.deps.groupPush.send(session, [userId], this.groupNew(session, toGroupVO(group, member)));
  }

  /**
   * The group's shared fields (as a change of name or notice sends them) with `allMuted`, as
   * GROUP_NEW to every member and the caller's other terminals.
   */
  private async pushShared(session: UserSession, groupId: number): Promise<void> {
    const g = await this.deps.groupAccess.group(groupId);
    const shared = {
      id: g.id,
      name: g.name,
      ownerId: g.owner_id,
      headImage: g.head_image ?? '',
      headImageThumb: g.head_image_thumb ?? '',
      notice: g.notice ?? '',
      dissolve: Boolean(g.dissolve),
      isBanned: Boolean(g.is_banned),
      reason: g.reason ?? '',
      allMuted: Boolean(g.all_muted),
    };
    const others = (await this.deps.groupMembers.memberIds(groupId)).filter((id) => id !== session.userId);
    await this.deps.groupPush.send(session, others, this.groupNew(session, shared), { sendToSelf: true });
  }

  private groupNew(session: UserSession, vo: object & { id: number }) {
    return {
      groupId: vo.id,
      type: MessageType.GROUP_NEW,
      sendId: session.userId,
      content: JSON.stringify(vo),
      sendTime: this.deps.clock.now().getTime(),
    };
  }
}

/** 90 → "1小时30分钟" (tips are stored in Chinese, as box-im's). */
function formatMinutes(minutes: number): string {
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  return `${days ? `${days}天` : ''}${hours ? `${hours}小时` : ''}${rest ? `${rest}分钟` : ''}`;
}

/**
 * Refuse a send by a muted member (the owner and admins always speak): a member muted until
 * a later time, or anyone else while the whole group is muted.
 */
export function assertMaySpeak(group: GroupRow, member: GroupMemberRow, now: Date): void {
  if (isManager(group, member)) return;
  if (member.mute_end_time && member.mute_end_time.getTime() > now.getTime()) {
    const until = `${member.mute_end_time.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
    throw new AppError(GroupErrors.MEMBER_MUTED, { until });
  }
  if (group.all_muted) throw new AppError(GroupErrors.ALL_MUTED);
}
