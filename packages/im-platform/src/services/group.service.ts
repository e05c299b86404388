import { Limits, MessageType, type GroupMemberVO, type GroupVO, type UserSession } from '@box-im/im-common';
import { daysAgo, messageTime } from '../clock';
import { AppError, AuthErrors, GroupErrors } from '../errors';
import { groupAsSeenBy, membersWhenLeft, toGroupMemberVO, toGroupVO } from './group-support';
import type { ServiceDeps } from './deps';
import { checkImageUrl } from './image-url';

export interface CreateGroupInput {
  name: string;
  headImage?: string | undefined;
  headImageThumb?: string | undefined;
  notice?: string | undefined;
  remarkNickName?: string | undefined;
  remarkGroupName?: string | undefined;
}

export interface ModifyGroupInput extends CreateGroupInput {
  id: number;
}

export type GroupServiceDeps = Pick<
  ServiceDeps,
  | 'groupAccess'
  | 'groups'
  | 'groupMembers'
  | 'users'
  | 'groupWriter'
  | 'groupPush'
  | 'groupCallRoster'
  | 'im'
  | 'clock'
>;

/** Groups themselves: create, change, dissolve, read, do-not-disturb. */
export class GroupService {
  constructor(private readonly deps: GroupServiceDeps) {}

  /** Create a group owned by the caller, who is its only member. */
  async create(session: UserSession, input: CreateGroupInput): Promise<GroupVO> {
    const user = await this.deps.users.findById(session.userId);
    if (!user) throw new AppError(AuthErrors.USER_NOT_FOUND);
    const name = input.name.trim();
    if (!name) throw new AppError(GroupErrors.NAME_BLANK);
    checkImageUrl(input.headImage, 'headImage');
    checkImageUrl(input.headImageThumb, 'headImageThumb');
    // On the messages' time scale: a member sees the messages sent since joining.
    const now = messageTime(this.deps.clock);
    const groupId = await this.deps.groups.createWithOwner(
      {
        name,
        owner_id: user.id,
        head_image: input.headImage ?? '',
        head_image_thumb: input.headImageThumb ?? '',
        notice: input.notice ?? '',
        created_time: now,
      },
      {
        user_id: user.id,
        user_nick_name: user.nick_name,
        head_image: user.head_image_thumb ?? '',
        remark_nick_name: input.remarkNickName?.trim() ?? '',
        remark_group_name: input.remarkGroupName?.trim() ?? '',
        join_message_id: 0,
        created_time: now,
      },
    );
    const vo = await this.vo(groupId, user.id);
    await this.deps.groupPush.toOwnTerminals(session, this.groupNew(session, vo));
    return vo;
  }

  /**
   * Change a group. Every member may set their own remarks; only the owner may change the
   * name, notice or avatar (a member's request changing only those is refused; with remarks,
   * they are ignored). Owner, dissolve and ban fields are never taken from the request.
   * The other members are told of a change of the shared fields.
   */
  async modify(session: UserSession, input: ModifyGroupInput): Promise<GroupVO> {
    const group = await this.deps.groupAccess.activeGroup(input.id);
    const member = await this.deps.groupAccess.member(group.id, session.userId);
    checkImageUrl(input.headImage, 'headImage', group.head_image);
    checkImageUrl(input.headImageThumb, 'headImageThumb', group.head_image_thumb);
    const profile = {
      name: input.name.trim(),
      notice: input.notice ?? group.notice,
      head_image: input.headImage ?? group.head_image,
      head_image_thumb: input.headImageThumb ?? group.head_image_thumb,
    };
    if (!profile.name) throw new AppError(GroupErrors.NAME_BLANK);
    const remarks = {
      remark_nick_name: input.remarkNickName?.trim() ?? member.remark_nick_name,
      remark_group_name: input.remarkGroupName?.trim() ?? member.remark_group_name,
    };
    const remarksChanged =
      remarks.remark_nick_name !== member.remark_nick_name ||
      remarks.remark_group_name !== member.remark_group_name;
    let changed = (Object.keys(profile) as (keyof typeof profile)[]).filter((k) => profile[k] !== group[k]);
    // admins may change the notice (not the name nor the avatar)
    const adminNotice = Boolean(member.is_admin) && changed.every((k) => k === 'notice');
    if (changed.length > 0 && group.owner_id !== session.userId && !adminNotice) {
      // Clients post the whole GroupVO: a member saving their remarks from a stale copy
      // keeps the current shared fields; a member trying to change only those is refused.
      if (!remarksChanged) throw new AppError(GroupErrors.OWNER_ONLY_EDIT);
      changed = [];
    }
    if (remarksChanged) await this.deps.groupMembers.updateRemarks(member.id, remarks);
    if (changed.length > 0) await this.deps.groups.updateProfile(group.id, profile);

    const vo = await this.vo(group.id, session.userId);
    await this.deps.groupPush.toOwnTerminals(session, this.groupNew(session, vo));
    if (changed.length > 0) await this.announceChange(session, vo, changed);
    return vo;
  }

  /** Dissolve the group (owner only): everyone leaves, keeping what they saw; a call there ends. */
  async dissolve(session: UserSession, groupId: number): Promise<void> {
    const group = await this.deps.groupAccess.group(groupId);
    if (group.owner_id !== session.userId) throw new AppError(GroupErrors.OWNER_ONLY_DISSOLVE);
    if (group.dissolve) throw new AppError(GroupErrors.GROUP_DISSOLVED, { name: group.name });
    const memberIds = await this.deps.groupMembers.memberIds(group.id);
    const tip = await this.deps.groupWriter.tip(
      { actor: session, groupId: group.id, content: `'${session.nickName}'解散了群聊` },
      { recvIds: memberIds },
      { insert: (row) => this.deps.groupMembers.leaveWithTip(group.id, 'all', row, { dissolve: true }) },
    );
    if (!tip) throw new AppError(GroupErrors.GROUP_DISSOLVED, { name: group.name });
    await this.deps.groupPush.send(session, memberIds, {
      groupId: group.id,
      type: MessageType.GROUP_DEL,
      sendId: session.userId,
      sendTime: this.now(),
    });
    await this.deps.groupCallRoster.groupGone(group.id);
  }

  /** The group as the caller sees it; former members too (their chat stays readable). */
  async find(session: UserSession, groupId: number): Promise<GroupVO> {
    const group = await this.deps.groupAccess.group(groupId);
    const member = await this.deps.groupAccess.anyMembership(
      group.id,
      session.userId,
      GroupErrors.NOT_JOINED,
    );
    return toGroupVO(group, member);
  }

  /** The caller's groups, and those left or dissolved in the last 30 days. */
  async list(session: UserSession): Promise<GroupVO[]> {
    const since = daysAgo(this.deps.clock, Limits.OFFLINE_MESSAGE_DAYS);
    const rows = await this.deps.groupMembers.findForUser(session.userId, since);
    const latest = new Map(rows.map((r) => [r.group_id, r]));
    const groups = await this.deps.groups.findByIds([...latest.keys()]);
    return groups.map((g) => toGroupVO(g, latest.get(g.id)!));
  }

  /**
   * Every member, former ones included (`quit`), online members first. Members only; a
   * former member gets the members of the time they left, none online, under the group's
   * name of then (what happened since is not theirs to see).
   */
  async listMembers(session: UserSession, groupId: number): Promise<GroupMemberVO[]> {
    const current = await this.deps.groupAccess.group(groupId);
    const me = await this.deps.groupAccess.anyMembership(current.id, session.userId, GroupErrors.NOT_MEMBER);
    if (current.dissolve) throw new AppError(GroupErrors.GROUP_DISSOLVED, { name: current.name });
    const all = [
      ...new Map((await this.deps.groupMembers.findByGroup(current.id)).map((r) => [r.user_id, r])).values(),
    ];
    const group = groupAsSeenBy(current, me);
    if (me.quit) {
      return membersWhenLeft(all, me).map((r) => toGroupMemberVO(group, r, false));
    }
    const online = await this.deps.im.getOnlineTerminals(all.filter((r) => !r.quit).map((r) => r.user_id));
    const vos = all.map((r) => toGroupMemberVO(group, r, online.has(r.user_id)));
    return vos.sort((a, b) => Number(b.online) - Number(a.online));
  }

  /** Mute or unmute the group for the caller; their other terminals follow. */
  async setDnd(session: UserSession, groupId: number, isDnd: boolean): Promise<void> {
    const group = await this.deps.groupAccess.group(groupId);
    const member = await this.deps.groupAccess.anyMembership(
      group.id,
      session.userId,
      GroupErrors.NOT_MEMBER,
    );
    await this.deps.groupMembers.setDnd(member.id, isDnd);
    await this.deps.groupPush.toOwnTerminals(session, {
      groupId: group.id,
      type: MessageType.GROUP_DND,
      sendId: session.userId,
      content: String(isDnd),
      sendTime: this.now(),
    });
  }

  private async vo(groupId: number, userId: number): Promise<GroupVO> {
    const group = await this.deps.groupAccess.group(groupId);
    const member = await this.deps.groupAccess.anyMembership(groupId, userId, GroupErrors.NOT_JOINED);
    return toGroupVO(group, member);
  }

  private groupNew(session: UserSession, vo: GroupVO | Partial<GroupVO>) {
    return {
      groupId: vo.id,
      type: MessageType.GROUP_NEW,
      sendId: session.userId,
      content: JSON.stringify(vo),
      sendTime: this.now(),
    };
  }

  /**
   * Tell the other members that the name, notice or avatar changed: a tip for a new name or
   * notice, and GROUP_NEW with the shared fields, which clients merge into their copy.
   * Members without a group remark also get the new `showGroupName`. Two pushes at most,
   * whatever the group's size.
   */
  private async announceChange(session: UserSession, vo: GroupVO, changed: string[]): Promise<void> {
    const rows = (await this.deps.groupMembers.findByGroup(vo.id)).filter(
      (r) => !r.quit && r.user_id !== session.userId,
    );
    const others = rows.map((r) => r.user_id);
    const tip = (content: string) =>
      this.deps.groupWriter.tip(
        { actor: session, groupId: vo.id, content },
        { recvIds: [session.userId, ...others] },
      );
    if (changed.includes('name')) await tip(`'${session.nickName}'修改群名为'${vo.name}'`);
    if (changed.includes('notice') && vo.notice.trim() !== '') {
      await tip(`'${session.nickName}'修改了群公告:${vo.notice}`);
    }
    const shared = {
      id: vo.id,
      name: vo.name,
      ownerId: vo.ownerId,
      headImage: vo.headImage,
      headImageThumb: vo.headImageThumb,
      notice: vo.notice,
      dissolve: vo.dissolve,
      isBanned: vo.isBanned,
      reason: vo.reason,
    };
    const withoutRemark = rows.filter((r) => !r.remark_group_name?.trim()).map((r) => r.user_id);
    const withRemark = rows.filter((r) => r.remark_group_name?.trim()).map((r) => r.user_id);
    await this.deps.groupPush.send(
      session,
      withoutRemark,
      this.groupNew(session, { ...shared, showGroupName: vo.name }),
    );
    await this.deps.groupPush.send(session, withRemark, this.groupNew(session, shared));
  }

  private now(): number {
    return this.deps.clock.now().getTime();
  }
}
