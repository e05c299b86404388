import type { DialectHandle, GroupMemberRow } from '../db';
import { insertReturningId, updatedRows } from '../db';
import type { NewGroupMessage } from './group-message.repository';
import type { CommitLanes } from '../db/group-commit';

export interface NewGroupMember {
  group_id: number;
  user_id: number;
  user_nick_name: string;
  head_image: string;
  remark_nick_name: string;
  remark_group_name: string;
  join_message_id: number;
  created_time: Date;
}

/** What a (re)joining member's row gets. */
export interface MemberJoin {
  user_nick_name: string;
  head_image: string;
  join_message_id: number;
  created_time: Date;
}

/** A friend row of an inviter, as invitations need it. */
export interface InviteeFriend {
  friend_id: number;
  friend_nick_name: string;
  friend_head_image: string;
}

const NO_QUIT_VIEW = {
  quit_group_name: null,
  quit_group_notice: null,
  quit_group_head_image: null,
  quit_group_head_image_thumb: null,
};

/** SQL of `im_group_member` (one row per user and group; box-im reuses rows on re-join). */
export class GroupMemberRepository {
  /**
   * @param commits when given, `advanceReadPosition` joins its batches (see `GroupCommit`)
   * @param stored called after a commit that stored messages (the search index's cue)
   */
  constructor(
    private readonly h: DialectHandle,
    private readonly commits?: CommitLanes,
    private readonly stored: () => void = () => undefined,
  ) {}

  /** The user's row in the group, current or quit (the newest if box-im left duplicates). */
  find(groupId: number, userId: number): Promise<GroupMemberRow | undefined> {
    return this.h.db
      .selectFrom('im_group_member')
      .selectAll()
      .where('group_id', '=', groupId)
      .where('user_id', '=', userId)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  /** Every row of the group, quit members included. */
  findByGroup(groupId: number): Promise<GroupMemberRow[]> {
    return this.h.db
      .selectFrom('im_group_member')
      .selectAll()
      .where('group_id', '=', groupId)
      .orderBy('id')
      .execute();
  }

  /** Rows of these users in the group, current or quit. */
  findUsers(groupId: number, userIds: readonly number[]): Promise<GroupMemberRow[]> {
    if (userIds.length === 0) return Promise.resolve([]);
    return this.h.db
      .selectFrom('im_group_member')
      .selectAll()
      .where('group_id', '=', groupId)
      .where('user_id', 'in', [...userIds])
      .orderBy('id')
      .execute();
  }

  /** The user's rows: current memberships and those left (or dissolved) since `quitSince`. */
  findForUser(userId: number, quitSince: Date): Promise<GroupMemberRow[]> {
    return this.h.db
      .selectFrom('im_group_member')
      .selectAll()
      .where('user_id', '=', userId)
      .where((eb) => eb.or([eb('quit', '=', 0), eb('quit_time', '>=', quitSince)]))
      .orderBy('id')
      .execute();
  }

  /** Ids of the current (not quit) members. */
  async memberIds(groupId: number): Promise<number[]> {
    const rows = await this.h.db
      .selectFrom('im_group_member')
      .select('user_id')
      .where('group_id', '=', groupId)
      .where('quit', '=', 0)
      .execute();
    return [...new Set(rows.map((r) => Number(r.user_id)))];
  }

  /** Read positions of the current members. */
  readPositions(groupId: number): Promise<{ user_id: number; readed_message_id: number }[]> {
    return this.h.db
      .selectFrom('im_group_member')
      .select(['user_id', 'readed_message_id'])
      .where('group_id', '=', groupId)
      .where('quit', '=', 0)
      .execute();
  }

  /**
   * Add members in one transaction: former members' rows are reused (their remarks and
   * do-not-disturb are kept, as box-im does), the others get new rows.
   */
  async join(
    rejoining: readonly (MemberJoin & { rowId: number })[],
    fresh: readonly NewGroupMember[],
  ): Promise<void> {
    await this.h.db.transaction().execute(async (trx) => {
      for (const { rowId, ...fields } of rejoining) {
        await trx
          .updateTable('im_group_member')
          .set({
            ...fields,
            quit: 0,
            quit_time: null,
            quit_message_id: null,
            ...NO_QUIT_VIEW,
            // a member who comes back is no longer admin nor muted
            is_admin: 0,
            mute_end_time: null,
          })
          .where('id', '=', rowId)
          .execute();
      }
      for (let i = 0; i < fresh.length; i += 500) {
        await trx
          .insertInto('im_group_member')
          .values(fresh.slice(i, i + 500))
          .execute();
      }
    });
  }

  async updateRemarks(
    rowId: number,
    remarks: { remark_nick_name: string; remark_group_name: string },
  ): Promise<void> {
    await this.h.db.updateTable('im_group_member').set(remarks).where('id', '=', rowId).execute();
  }

  async setAdmin(rowId: number, isAdmin: boolean): Promise<void> {
    await this.h.db
      .updateTable('im_group_member')
      .set({ is_admin: isAdmin ? 1 : 0 })
      .where('id', '=', rowId)
      .execute();
  }

  /** Mute the member until `until` (null: unmute). */
  async setMuteUntil(rowId: number, until: Date | null): Promise<void> {
    await this.h.db
      .updateTable('im_group_member')
      .set({ mute_end_time: until })
      .where('id', '=', rowId)
      .execute();
  }

  async setDnd(rowId: number, isDnd: boolean): Promise<void> {
    await this.h.db
      .updateTable('im_group_member')
      .set({ is_dnd: isDnd ? 1 : 0 })
      .where('id', '=', rowId)
      .execute();
  }

  /**
   * In one transaction: store `tip`, then mark current members (all, or these) as having
   * left, the tip being the last message they see and the group's current profile the one
   * they keep seeing; with `dissolve`, mark the group
   * dissolved first. Returns the tip's id, or null if the group was already dissolved.
   */
  leaveWithTip(
    groupId: number,
    userIds: readonly number[] | 'all',
    tip: NewGroupMessage,
    options: { dissolve?: boolean } = {},
  ): Promise<number | null> {
    return this.h.db
      .transaction()
      .execute(async (trx) => {
        if (options.dissolve) {
          const dissolved = await updatedRows(
            trx
              .updateTable('im_group')
              .set({ dissolve: 1 })
              .where('id', '=', groupId)
              .where('dissolve', '=', 0),
          );
          if (dissolved === 0) return null;
        }
        const tipId = await insertReturningId(this.h, trx.insertInto('im_group_message').values(tip));
        const group = await trx
          .selectFrom('im_group')
          .select(['name', 'notice', 'head_image', 'head_image_thumb'])
          .where('id', '=', groupId)
          .executeTakeFirst();
        let query = trx
          .updateTable('im_group_member')
          .set({
            quit: 1,
            quit_time: tip.send_time,
            quit_message_id: tipId,
            // What the leavers keep seeing of the group (later changes are not theirs to see).
            quit_group_name: group?.name ?? '',
            quit_group_notice: group?.notice ?? '',
            quit_group_head_image: group?.head_image ?? '',
            quit_group_head_image_thumb: group?.head_image_thumb ?? '',
          })
          .where('group_id', '=', groupId)
          .where('quit', '=', 0);
        if (userIds !== 'all') query = query.where('user_id', 'in', [...userIds]);
        await query.execute();
        return tipId;
      })
      .finally(this.stored);
  }

  /**
   * Raise the member's read position to `messageId` if it is higher. Returns false when it
   * was not (already read that far, or not a current member).
   */
  advanceReadPosition(groupId: number, userId: number, messageId: number): Promise<boolean> {
    const advance = async (h: DialectHandle) => {
      const changed = await updatedRows(
        h.db
          .updateTable('im_group_member')
          .set({ readed_message_id: messageId })
          .where('group_id', '=', groupId)
          .where('user_id', '=', userId)
          .where('quit', '=', 0)
          .where('readed_message_id', '<', messageId),
      );
      return changed > 0;
    };
    return this.commits ? this.commits.updates.submit(advance) : advance(this.h);
  }

  /**
   * The inviter's live friend rows among `friendIds` (invitations need friendship; the
   * invitee's name and avatar are copied from these rows, as box-im does).
   */
  async inviterFriends(inviterId: number, friendIds: readonly number[]): Promise<InviteeFriend[]> {
    if (friendIds.length === 0) return [];
    const rows = await this.h.db
      .selectFrom('im_friend')
      .select(['friend_id', 'friend_nick_name', 'friend_head_image'])
      .where('user_id', '=', inviterId)
      .where('friend_id', 'in', [...friendIds])
      .where('deleted', '=', 0)
      .execute();
    return rows.map((r) => ({
      ...r,
      friend_id: Number(r.friend_id),
      friend_head_image: r.friend_head_image ?? '',
    }));
  }
}
