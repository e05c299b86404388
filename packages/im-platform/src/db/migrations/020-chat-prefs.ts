import type { Kysely } from 'kysely';
import type { DialectName } from '../dialects/dialect';
import { createIndex, tableOptions, types, withId } from './util';

/**
 * Per-user chat settings synced between a user's terminals (box-im has none):
 * `im_chat_pref` holds one row per (user, chat) that is pinned or has a draft; `chat_type`
 * 0 private (chat_id = the peer), 1 group (chat_id = the group). A row with neither is deleted.
 */
export function chatPrefsMigration(dialect: DialectName) {
  const t = types(dialect);
  const table = 'im_chat_pref';
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await tableOptions(
        dialect,
        withId(dialect, db.schema.createTable(table).ifNotExists())
          .addColumn('user_id', t.bigint, (c) => c.notNull())
          .addColumn('chat_type', t.tinyint, (c) => c.notNull())
          .addColumn('chat_id', t.bigint, (c) => c.notNull())
          .addColumn('pinned', t.flag, (c) => c.notNull().defaultTo(0))
          .addColumn('draft', 'varchar(1024)', (c) => c.notNull().defaultTo(''))
          .addColumn('updated_time', t.datetime, (c) => c.notNull()),
      ).execute();
      const name = dialect === 'mysql' ? 'uk_user_chat' : `${table}_uk_user_chat`;
      await createIndex(db, dialect, table, name, ['user_id', 'chat_type', 'chat_id'], { unique: true });
    },
    async down(): Promise<void> {
      // Kept: users' pins and drafts.
    },
  };
}
