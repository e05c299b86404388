import type { DialectHandle, FriendRow } from '../db';
import { PreparedQuery, slot } from '../db/prepared';

/** Prepared: every private send checks it. */
const IS_FRIEND = new PreparedQuery<{ userId: number; friendId: number }, { id: number }>((db) =>
  db
    .selectFrom('im_friend')
    .select('id')
    .where('user_id', '=', slot<number>('userId'))
    .where('friend_id', '=', slot<number>('friendId'))
    .where('deleted', '=', 0),
);

/** What a friend row copies from the friend's profile. */
export interface FriendProfileCopy {
  nickName: string;
  headImage: string;
}

/** SQL of `im_friend` (one row per direction; `deleted` rows are kept as box-im does). */
export class FriendRepository {
  constructor(private readonly h: DialectHandle) {}

  find(userId: number, friendId: number): Promise<FriendRow | undefined> {
    return this.h.db
      .selectFrom('im_friend')
      .selectAll()
      .where('user_id', '=', userId)
      .where('friend_id', '=', friendId)
      .executeTakeFirst();
  }

  /** Every row of the user, deleted friends included, oldest first. */
  listByUser(userId: number): Promise<FriendRow[]> {
    return this.h.db
      .selectFrom('im_friend')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('id')
      .execute();
  }

  async isFriend(userId: number, friendId: number): Promise<boolean> {
    const result = await IS_FRIEND.execute(this.h, { userId, friendId });
    return result.rows.length > 0;
  }

  /**
   * Make `friendId` a live friend of `userId` with a fresh copy of the friend's profile:
   * revive the existing row (keeping `is_dnd`) or insert one. The unique (user, friend)
   * index settles concurrent adds: the loser updates the winner's row.
   */
  async bind(userId: number, friendId: number, profile: FriendProfileCopy, now: Date): Promise<void> {
    const set = { friend_nick_name: profile.nickName, friend_head_image: profile.headImage, deleted: 0 };
    const existing = await this.find(userId, friendId);
    if (existing) {
      await this.h.db.updateTable('im_friend').set(set).where('id', '=', existing.id).execute();
      return;
    }
    try {
      await this.h.db
        .insertInto('im_friend')
        .values({ user_id: userId, friend_id: friendId, ...set, created_time: now })
        .execute();
    } catch (error) {
      if (!this.h.isUniqueViolation(error)) throw error;
      await this.h.db
        .updateTable('im_friend')
        .set(set)
        .where('user_id', '=', userId)
        .where('friend_id', '=', friendId)
        .execute();
    }
  }

  /** Mark the friendship deleted in both directions. */
  async unbindBoth(a: number, b: number): Promise<void> {
    await this.h.db
      .updateTable('im_friend')
      .set({ deleted: 1 })
      .where((eb) =>
        eb.or([
          eb.and([eb('user_id', '=', a), eb('friend_id', '=', b)]),
          eb.and([eb('user_id', '=', b), eb('friend_id', '=', a)]),
        ]),
      )
      .execute();
  }

  async setDnd(userId: number, friendId: number, isDnd: boolean): Promise<void> {
    await this.h.db
      .updateTable('im_friend')
      .set({ is_dnd: isDnd ? 1 : 0 })
      .where('user_id', '=', userId)
      .where('friend_id', '=', friendId)
      .execute();
  }

  /**
   * Refresh the copies of a user's profile that other rows hold, as box-im does on
   * `/user/update`: `im_friend` rows naming the user as friend and the user's
   * `im_group_member` rows (nickname and thumbnail).
   */
  async propagateProfile(userId: number, nickName: string, headImageThumb: string): Promise<void> {
    await this.h.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('im_friend')
        .set({ friend_nick_name: nickName, friend_head_image: headImageThumb })
        .where('friend_id', '=', userId)
        .execute();
      await trx
        .updateTable('im_group_member')
        .set({ user_nick_name: nickName, head_image: headImageThumb })
        .where('user_id', '=', userId)
        .execute();
    });
  }
}
