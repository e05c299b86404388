import type { Kysely } from 'kysely';
import type { DialectName } from '../dialects/dialect';
import { columnExists, createIndex, dedupeTmpIds, types } from './util';

/**
 * Groups: read positions in the database (box-im kept them only in a Redis hash, lost on a
 * Redis restart) and message-id bounds of each membership, so that "sees messages after
 * joining / until leaving" does not depend on second-precision timestamps.
 *
 * - `im_group_member.readed_message_id`: highest message id the member has read (0 = none).
 * - `im_group_member.join_message_id`: highest message id of the group when the member
 *   (re)joined; the member sees messages with a larger id.
 * - `im_group_member.quit_message_id`: last message id the member may see after leaving
 *   (NULL while a member, and for rows written by box-im, which fall back to `quit_time`).
 */
export function groupsMigration(dialect: DialectName) {
  const t = types(dialect);
  const q = (name: string, table: string) => (dialect === 'mysql' ? name : `${table}_${name}`);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      const member = 'im_group_member';
      if (!(await columnExists(db, member, 'readed_message_id'))) {
        await db.schema
          .alterTable(member)
          .addColumn('readed_message_id', t.bigint, (c) => c.notNull().defaultTo(0))
          .execute();
      }
      if (!(await columnExists(db, member, 'join_message_id'))) {
        await db.schema
          .alterTable(member)
          .addColumn('join_message_id', t.bigint, (c) => c.notNull().defaultTo(0))
          .execute();
      }
      if (!(await columnExists(db, member, 'quit_message_id'))) {
        await db.schema.alterTable(member).addColumn('quit_message_id', t.bigint).execute();
      }
      await createIndex(db, dialect, member, q('idx_group_user', member), ['group_id', 'user_id']);
      await createIndex(db, dialect, member, q('idx_user_group', member), ['user_id', 'group_id']);
      // Idempotent sends: (sender, tmpId) is unique, so a retry on any platform process finds
      // the stored message instead of storing a second one.
      await dedupeTmpIds(db, 'im_group_message');
      await createIndex(
        db,
        dialect,
        'im_group_message',
        q('uk_send_tmp', 'im_group_message'),
        ['send_id', 'tmp_id'],
        {
          unique: true,
        },
      );
    },
    async down(): Promise<void> {
      // Columns and indexes are kept: dropping them would lose read positions.
    },
  };
}
