import type { Kysely } from 'kysely';
import type { DialectName } from '../dialects/dialect';
import { createIndex, tableOptions, types, withId } from './util';

/**
 * Group invitations waiting for the invitee's consent (with `FRIEND_REQUEST=on`, a user who
 * lets only requests add them is not put into a group without agreeing):
 * `im_group_invite`, `status` 0 pending, 1 accepted, 2 declined.
 */
export function groupInvitesMigration(dialect: DialectName) {
  const t = types(dialect);
  const q = (name: string, table: string) => (dialect === 'mysql' ? name : `${table}_${name}`);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      const table = 'im_group_invite';
      await tableOptions(
        dialect,
        withId(dialect, db.schema.createTable(table).ifNotExists())
          .addColumn('group_id', t.bigint, (c) => c.notNull())
          .addColumn('inviter_id', t.bigint, (c) => c.notNull())
          .addColumn('user_id', t.bigint, (c) => c.notNull())
          .addColumn('status', t.tinyint, (c) => c.notNull().defaultTo(0))
          .addColumn('created_time', t.datetime, (c) => c.notNull())
          .addColumn('handled_time', t.datetime),
      ).execute();
      await createIndex(db, dialect, table, q('idx_user_status', table), ['user_id', 'status']);
      await createIndex(db, dialect, table, q('idx_group_user', table), ['group_id', 'user_id']);
    },
    async down(): Promise<void> {
      // Kept: dropping it would lose pending invitations.
    },
  };
}
