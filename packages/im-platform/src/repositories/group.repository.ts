import type { DialectHandle, GroupRow } from '../db';
import { insertReturningId, updatedRows } from '../db';
import type { NewGroupMember } from './group-member.repository';

export interface NewGroup {
  name: string;
  owner_id: number;
  head_image: string;
  head_image_thumb: string;
  notice: string;
  created_time: Date;
}

/** The fields of a group its owner may change. */
export interface GroupProfile {
  name: string;
  head_image: string;
  head_image_thumb: string;
  notice: string;
}

/** SQL of `im_group`. */
export class GroupRepository {
  constructor(private readonly h: DialectHandle) {}

  findById(id: number): Promise<GroupRow | undefined> {
    return this.h.db.selectFrom('im_group').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findByIds(ids: readonly number[]): Promise<GroupRow[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.h.db
      .selectFrom('im_group')
      .selectAll()
      .where('id', 'in', [...ids])
      .execute();
  }

  /** Insert a group and its owner's member row in one transaction; returns the group id. */
  createWithOwner(group: NewGroup, owner: Omit<NewGroupMember, 'group_id'>): Promise<number> {
    return this.h.db.transaction().execute(async (trx) => {
      const groupId = await insertReturningId(this.h, trx.insertInto('im_group').values(group));
      await trx
        .insertInto('im_group_member')
        .values({ ...owner, group_id: groupId })
        .execute();
      return groupId;
    });
  }

  async updateProfile(id: number, profile: GroupProfile): Promise<void> {
    await this.h.db.updateTable('im_group').set(profile).where('id', '=', id).execute();
  }

  async setAllMuted(id: number, muted: boolean): Promise<void> {
    await this.h.db
      .updateTable('im_group')
      .set({ all_muted: muted ? 1 : 0 })
      .where('id', '=', id)
      .execute();
  }

  /**
   * Hand the group to `newOwner` (a current member, who stops being an admin), if `oldOwner`
   * still owns it; false when another transfer came first.
   */
  transferOwner(id: number, oldOwner: number, newOwnerRowId: number, newOwner: number): Promise<boolean> {
    return this.h.db.transaction().execute(async (trx) => {
      const changed = await updatedRows(
        trx
          .updateTable('im_group')
          .set({ owner_id: newOwner })
          .where('id', '=', id)
          .where('owner_id', '=', oldOwner),
      );
      if (changed === 0) return false;
      await trx
        .updateTable('im_group_member')
        .set({ is_admin: 0, mute_end_time: null })
        .where('id', '=', newOwnerRowId)
        .execute();
      return true;
    });
  }
}
