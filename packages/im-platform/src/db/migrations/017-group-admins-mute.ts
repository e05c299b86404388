import type { Kysely } from 'kysely';
import type { DialectName } from '../dialects/dialect';
import { columnExists, types } from './util';

/**
 * Group admins and mute, added beside box-im's columns (its nodes never read them):
 * - `im_group_member.is_admin`: appointed by the owner; may remove members, edit the notice
 *   and mute.
 * - `im_group_member.mute_end_time`: the member may not send before this time (NULL: not muted).
 * - `im_group.all_muted`: only the owner and admins may send.
 */
export function groupAdminsMuteMigration(dialect: DialectName) {
  const t = types(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      if (!(await columnExists(db, 'im_group_member', 'is_admin'))) {
        await db.schema
          .alterTable('im_group_member')
          .addColumn('is_admin', t.flag, (c) => c.notNull().defaultTo(0))
          .execute();
      }
      if (!(await columnExists(db, 'im_group_member', 'mute_end_time'))) {
        await db.schema.alterTable('im_group_member').addColumn('mute_end_time', t.datetime).execute();
      }
      if (!(await columnExists(db, 'im_group', 'all_muted'))) {
        await db.schema
          .alterTable('im_group')
          .addColumn('all_muted', t.flag, (c) => c.notNull().defaultTo(0))
          .execute();
      }
    },
    async down(): Promise<void> {
      // Kept: dropping them would unmute members and demote admins.
    },
  };
}
