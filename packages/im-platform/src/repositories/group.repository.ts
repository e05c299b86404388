import type { DialectHandle, GroupRow } from '../db';
import { insertReturningId } from '../db';
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
}
