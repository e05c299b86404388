import type { DialectHandle, GroupInviteRow } from '../db';
import { insertReturningId, updatedRows } from '../db';
import { RequestStatus } from './friend-request.repository';

/** An invitation with the group's and the inviter's current names. */
export interface GroupInviteView extends GroupInviteRow {
  group_name: string;
  group_head_image: string;
  inviter_nick_name: string;
}

/** SQL of `im_group_invite` (migration 016). */
export class GroupInviteRepository {
  constructor(private readonly h: DialectHandle) {}

  private view() {
    return this.h.db
      .selectFrom('im_group_invite as i')
      .innerJoin('im_group as g', 'g.id', 'i.group_id')
      .innerJoin('im_user as u', 'u.id', 'i.inviter_id')
      .selectAll('i')
      .select([
        'g.name as group_name',
        'g.head_image_thumb as group_head_image',
        'u.nick_name as inviter_nick_name',
      ]);
  }

  findById(id: number): Promise<GroupInviteView | undefined> {
    return this.view().where('i.id', '=', id).executeTakeFirst();
  }

  /** Users of `userIds` already holding a pending invitation to the group. */
  async pendingUsers(groupId: number, userIds: readonly number[]): Promise<Set<number>> {
    if (userIds.length === 0) return new Set();
    const rows = await this.h.db
      .selectFrom('im_group_invite')
      .select('user_id')
      .where('group_id', '=', groupId)
      .where('user_id', 'in', [...userIds])
      .where('status', '=', RequestStatus.PENDING)
      .execute();
    return new Set(rows.map((r) => r.user_id));
  }

  /** The user's pending invitations, newest first. */
  listPending(userId: number, limit: number): Promise<GroupInviteView[]> {
    return this.view()
      .where('i.user_id', '=', userId)
      .where('i.status', '=', RequestStatus.PENDING)
      .orderBy('i.id', 'desc')
      .limit(limit)
      .execute();
  }

  create(groupId: number, inviterId: number, userId: number, now: Date): Promise<number> {
    return insertReturningId(
      this.h,
      this.h.db.insertInto('im_group_invite').values({
        group_id: groupId,
        inviter_id: inviterId,
        user_id: userId,
        status: RequestStatus.PENDING,
        created_time: now,
      }),
    );
  }

  /** Settle a pending invitation; false if it was already settled. */
  async settle(id: number, status: number, now: Date): Promise<boolean> {
    return (
      (await updatedRows(
        this.h.db
          .updateTable('im_group_invite')
          .set({ status, handled_time: now })
          .where('id', '=', id)
          .where('status', '=', RequestStatus.PENDING),
      )) > 0
    );
  }
}
