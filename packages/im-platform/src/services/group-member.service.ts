import { AddPolicy, Limits, MessageType, type UserSession } from '@box-im/im-common';
import { messageTime } from '../clock';
import type { GroupMemberRow, GroupRow } from '../db';
import { AppError, GroupErrors, type ErrorDef } from '../errors';
import type { InviteeFriend } from '../repositories/group-member.repository';
import { isManager, showNickName, toGroupVO, withGroupLock } from './group-support';
import { toGroupInviteVO } from './group-invite.service';
import type { ServiceDeps } from './deps';

export type GroupMemberServiceDeps = Pick<
  ServiceDeps,
  | 'groupAccess'
  | 'groupMembers'
  | 'groupMessages'
  | 'groupWriter'
  | 'groupPush'
  | 'groupInvites'
  | 'users'
  | 'config'
  | 'groupCallRoster'
  | 'bus'
  | 'clock'
>;

/** Who is in a group: invitations, leaving, removal by the owner. */
export class GroupMemberService {
  constructor(private readonly deps: GroupMemberServiceDeps) {}

  /**
   * Invite friends of the caller (a current member). Users already in the group are
   * skipped; only new members count against the limit. Former members come back with their
   * remarks, and see messages from now on. Invitees get GROUP_NEW, every member a tip. With
   * FRIEND_REQUEST=on, friends who do not let anyone add them get a pending invitation
   * (GROUP_INVITE) instead, and join when they accept it.
   */
  async invite(session: UserSession, groupId: number, friendIds: readonly number[]): Promise<void> {
    await withGroupLock(this.deps.bus, groupId, async () => {
      const group = await this.deps.groupAccess.activeGroup(groupId);
      await this.deps.groupAccess.member(group.id, session.userId, GroupErrors.INVITER_NOT_MEMBER);
      const ids = [...new Set(friendIds)];
      const friends = await this.deps.groupMembers.inviterFriends(session.userId, ids);
      if (friends.length !== ids.length) throw new AppError(GroupErrors.INVITE_NOT_FRIENDS);

      const current = await this.deps.groupMembers.memberIds(group.id);
      const inGroup = new Set(current);
      let joining = friends.filter((f) => !inGroup.has(f.friend_id));
      if (joining.length === 0) return;
      if (current.length + joining.length > Limits.GROUP_MEMBERS_MAX) {
        throw new AppError(GroupErrors.MEMBERS_LIMIT, { max: Limits.GROUP_MEMBERS_MAX });
      }
      if (this.deps.config.FRIEND_REQUEST) {
        const users = await this.deps.users.findByIds(joining.map((f) => f.friend_id));
        const asking = new Set(users.filter((u) => u.add_policy !== AddPolicy.ANYONE).map((u) => u.id));
        await this.askConsent(session, group, [...asking]);
        joining = joining.filter((f) => !asking.has(f.friend_id));
        if (joining.length === 0) return;
      }
      const names = joining.map((f) => f.friend_nick_name).join(',');
      await this.admit(session, group, joining, current, `'${session.nickName}'邀请'${names}'加入了群聊`);
    });
  }

  /** Pending invitations (one per user and group) and their GROUP_INVITE pushes. */
  private async askConsent(session: UserSession, group: GroupRow, userIds: number[]): Promise<void> {
    const pending = await this.deps.groupInvites.pendingUsers(group.id, userIds);
    const now = this.deps.clock.now();
    for (const userId of userIds.filter((id) => !pending.has(id))) {
      const id = await this.deps.groupInvites.create(group.id, session.userId, userId, now);
      const invite = await this.deps.groupInvites.findById(id);
      await this.deps.groupPush.send(session, [userId], {
        groupId: group.id,
        type: MessageType.GROUP_INVITE,
        sendId: session.userId,
        content: JSON.stringify(toGroupInviteVO(invite!)),
        sendTime: now.getTime(),
      });
    }
  }

  /**
   * Add `joining` to the group (the caller holds the group lock and checked the limit):
   * rows, GROUP_NEW to each newcomer, and `tipText` to everyone.
   */
  async admit(
    session: UserSession,
    group: GroupRow,
    joining: readonly InviteeFriend[],
    current: readonly number[],
    tipText: string,
  ): Promise<void> {
    const now = messageTime(this.deps.clock);
    const joinMessageId = await this.deps.groupMessages.maxId(group.id);
    const userIds = joining.map((f) => f.friend_id);
    const former = new Map(
      (await this.deps.groupMembers.findUsers(group.id, userIds)).map((r) => [r.user_id, r]),
    );
    const fields = (f: InviteeFriend) => ({
      user_nick_name: f.friend_nick_name,
      head_image: f.friend_head_image,
      join_message_id: joinMessageId,
      created_time: now,
    });
    await this.deps.groupMembers.join(
      joining
        .filter((f) => former.has(f.friend_id))
        .map((f) => ({ rowId: former.get(f.friend_id)!.id, ...fields(f) })),
      joining
        .filter((f) => !former.has(f.friend_id))
        .map((f) => ({
          ...fields(f),
          group_id: group.id,
          user_id: f.friend_id,
          remark_nick_name: '',
          remark_group_name: '',
        })),
    );

    const joined = await this.deps.groupMembers.findUsers(group.id, userIds);
    for (const row of new Map(joined.map((r) => [r.user_id, r])).values()) {
      await this.deps.groupPush.send(
        session,
        row.user_id === session.userId ? [] : [row.user_id],
        {
          groupId: group.id,
          type: MessageType.GROUP_NEW,
          sendId: session.userId,
          content: JSON.stringify(toGroupVO(group, row)),
          sendTime: now.getTime(),
        },
        { sendToSelf: row.user_id === session.userId },
      );
    }
    await this.deps.groupWriter.tip(
      { actor: session, groupId: group.id, content: tipText },
      { recvIds: [...current, ...userIds] },
    );
  }

  /** Leave a group (not its owner). The caller keeps what they saw; the others are told. */
  async quit(session: UserSession, groupId: number): Promise<void> {
    const group = await this.deps.groupAccess.group(groupId);
    if (group.owner_id === session.userId) throw new AppError(GroupErrors.OWNER_CANNOT_QUIT);
    if (group.dissolve) throw new AppError(GroupErrors.GROUP_DISSOLVED, { name: group.name });
    const member = await this.deps.groupAccess.member(group.id, session.userId);
    await this.leave(session, group, [member], '您已退出群聊', `'${showNickName(member)}'退出了群聊`);
  }

  /** The owner or an admin removes members (at most 50 at once; admins not the owner or admins). */
  async remove(session: UserSession, groupId: number, userIds: readonly number[]): Promise<void> {
    await this.removeAs(session, groupId, userIds, GroupErrors.OWNER_ONLY_REMOVE);
  }

  /** The owner removes one member (box-im's deprecated kick). */
  async kick(session: UserSession, groupId: number, userId: number): Promise<void> {
    await this.removeAs(session, groupId, [userId], GroupErrors.OWNER_ONLY_KICK);
  }

  private async removeAs(
    session: UserSession,
    groupId: number,
    userIds: readonly number[],
    notOwner: ErrorDef,
  ): Promise<void> {
    const group = await this.deps.groupAccess.activeGroup(groupId);
    const caller = await this.deps.groupMembers.find(group.id, session.userId);
    if (!isManager(group, caller)) throw new AppError(notOwner);
    const ids = [...new Set(userIds)];
    if (ids.includes(session.userId)) throw new AppError(GroupErrors.CANNOT_REMOVE_SELF);
    if (ids.includes(group.owner_id)) throw new AppError(GroupErrors.CANNOT_REMOVE_OWNER);
    const rows = new Map(
      (await this.deps.groupMembers.findUsers(group.id, ids))
        .filter((r) => !r.quit)
        .map((r) => [r.user_id, r]),
    );
    const missing = ids.find((id) => !rows.has(id));
    if (missing !== undefined) throw new AppError(GroupErrors.USER_NOT_IN_GROUP, { userId: missing });
    if (group.owner_id !== session.userId && [...rows.values()].some((r) => r.is_admin)) {
      throw new AppError(GroupErrors.ADMIN_OVER_ADMIN);
    }
    const removed = [...rows.values()];
    const names = removed.map(showNickName).join(',');
    await this.leave(
      session,
      group,
      removed,
      '您已被移出群聊',
      `'${session.nickName}'将'${names}'移出了群聊`,
    );
  }

  /**
   * Members leave: a tip only they see (their last visible message), then they are marked
   * as left, then a tip for those who stay. Pushes: the first tip and GROUP_DEL to those
   * leaving, the second tip to the remaining members. Those in the group's call leave it.
   */
  private async leave(
    session: UserSession,
    group: GroupRow,
    leaving: GroupMemberRow[],
    ownTip: string,
    othersTip: string,
  ): Promise<void> {
    const ids = leaving.map((m) => m.user_id);
    const { groupWriter: writer } = this.deps;
    await writer.tip(
      { actor: session, groupId: group.id, content: ownTip, visibleTo: ids },
      { recvIds: ids },
      { insert: (row) => this.deps.groupMembers.leaveWithTip(group.id, ids, row) },
    );
    await this.deps.groupPush.send(session, ids, {
      groupId: group.id,
      type: MessageType.GROUP_DEL,
      sendId: session.userId,
      sendTime: this.deps.clock.now().getTime(),
    });
    const remaining = await this.deps.groupMembers.memberIds(group.id);
    await writer.tip({ actor: session, groupId: group.id, content: othersTip }, { recvIds: remaining });
    // Whoever left is out of the group's call at once (not at their next heartbeat).
    await this.deps.groupCallRoster.membersLeft(group.id, ids);
  }
}
