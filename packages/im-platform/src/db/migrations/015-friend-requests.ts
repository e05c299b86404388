import type { Kysely } from 'kysely';
import type { DialectName } from '../dialects/dialect';
import { columnExists, createIndex, tableOptions, types, withId } from './util';

/**
 * Friend requests (used with `FRIEND_REQUEST=on`; box-im's instant add is unchanged when off):
 * - `im_user.add_policy`: who may add the user: 0 anyone (at once), 1 by request (default),
 *   2 nobody. box-im's nodes never read it; rows they insert get the default.
 * - `im_friend_request`: one row per request; `status` 0 pending, 1 accepted, 2 declined.
 *   A repeated request of the same pair while pending updates that row.
 */
export function friendRequestsMigration(dialect: DialectName) {
  const t = types(dialect);
  const q = (name: string, table: string) => (dialect === 'mysql' ? name : `${table}_${name}`);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      if (!(await columnExists(db, 'im_user', 'add_policy'))) {
        await db.schema
          .alterTable('im_user')
          .addColumn('add_policy', t.tinyint, (c) => c.notNull().defaultTo(1))
          .execute();
      }
      const table = 'im_friend_request';
      await tableOptions(
        dialect,
        withId(dialect, db.schema.createTable(table).ifNotExists())
          .addColumn('send_id', t.bigint, (c) => c.notNull())
          .addColumn('recv_id', t.bigint, (c) => c.notNull())
          .addColumn('message', 'varchar(255)', (c) => c.notNull().defaultTo(''))
          .addColumn('status', t.tinyint, (c) => c.notNull().defaultTo(0))
          .addColumn('created_time', t.datetime, (c) => c.notNull())
          .addColumn('handled_time', t.datetime),
      ).execute();
      await createIndex(db, dialect, table, q('idx_recv_status', table), ['recv_id', 'status']);
      await createIndex(db, dialect, table, q('idx_send_status', table), ['send_id', 'status']);
    },
    async down(): Promise<void> {
      // Kept: dropping them would lose pending requests and users' choices.
    },
  };
}
