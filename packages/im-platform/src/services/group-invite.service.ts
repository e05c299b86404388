import { Limits, type GroupInviteVO, type GroupVO, type UserSession } from '@box-im/im-common';
import { AppError, AuthErrors, GroupErrors } from '../errors';
import { RequestStatus } from '../repositories/friend-request.repository';
import type { GroupInviteView } from '../repositories/group-invite.repository';
import type { GroupMemberService } from './group-member.service';
import { toGroupVO, withGroupLock } from './group-support';
import type { ServiceDeps } from './deps';

/** Most pending invitations listed. */
const LIST_MAX = 200;

export function toGroupInviteVO(row: GroupInviteView): GroupInviteVO {
  return {
    id: row.id,
    groupId: row.group_id,
    groupName: row.group_name,
    groupHeadImage: row.group_head_image ?? '',
    inviterId: row.inviter_id,
    inviterNickName: row.inviter_nick_name,
    status: row.status,
    createdTime: row.created_time.getTime(),
  };
}

export type GroupInviteServiceDeps = Pick<
  ServiceDeps,
  'groupAccess' | 'groupInvites' | 'groupMembers' | 'users' | 'bus' | 'clock'
> & { members: GroupMemberService };

/**
 * Group invitations waiting for the invitee's consent (FRIEND_REQUEST=on, invitees who do not
 * let anyone add them): the invitee lists, accepts (joins, with the usual GROUP_NEW and tip)
 * or declines them. Only the invitee sees or settles an invitation.
 */
export class GroupInviteService {
  constructor(private readonly deps: GroupInviteServiceDeps) {}

  async list(session: UserSession): Promise<GroupInviteVO[]> {
    return (await this.deps.groupInvites.listPending(session.userId, LIST_MAX)).map(toGroupInviteVO);
  }

  /** Join the group of invitation `id`; returns the group as I now see it. */
  async accept(session: UserSession, id: number): Promise<GroupVO> {
    const invite = await this.pending(session, id);
    return withGroupLock(this.deps.bus, invite.group_id, async () => {
      const group = await this.deps.groupAccess.activeGroup(invite.group_id);
      const current = await this.deps.groupMembers.memberIds(group.id);
      // an invitation is only as good as its inviter's membership
      if (!current.includes(invite.inviter_id)) throw new AppError(GroupErrors.INVITE_NOT_FOUND);
      if (!current.includes(session.userId)) {
        if (current.length + 1 > Limits.GROUP_MEMBERS_MAX) {
          throw new AppError(GroupErrors.MEMBERS_LIMIT, { max: Limits.GROUP_MEMBERS_MAX });
        }
      }
      if (!(await this.deps.groupInvites.settle(id, RequestStatus.ACCEPTED, this.deps.clock.now()))) {
        throw new AppError(GroupErrors.INVITE_NOT_FOUND);
      }
      if (!current.includes(session.userId)) {
        const me = await this.deps.users.findById(session.userId);
        if (!me) throw new AppError(AuthErrors.USER_NOT_FOUND);
        const joining = [
          { friend_id: me.id, friend_nick_name: me.nick_name, friend_head_image: me.head_image_thumb ?? '' },
        ];
        const tip = `'${me.nick_name}'接受'${invite.inviter_nick_name}'的邀请加入了群聊`;
        await this.deps.members.admit(session, group, joining, current, tip);
      }
      const member = await this.deps.groupAccess.member(group.id, session.userId);
      return toGroupVO(group, member);
    });
  }

  async decline(session: UserSession, id: number): Promise<void> {
    await this.pending(session, id);
    if (!(await this.deps.groupInvites.settle(id, RequestStatus.DECLINED, this.deps.clock.now()))) {
      throw new AppError(GroupErrors.INVITE_NOT_FOUND);
    }
  }

  private async pending(session: UserSession, id: number): Promise<GroupInviteView> {
    const invite = await this.deps.groupInvites.findById(id);
    if (!invite || invite.user_id !== session.userId || invite.status !== RequestStatus.PENDING) {
      throw new AppError(GroupErrors.INVITE_NOT_FOUND);
    }
    return invite;
  }
}
