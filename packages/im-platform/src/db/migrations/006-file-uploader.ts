import type { Kysely } from 'kysely';
import type { DialectName } from '../dialects/dialect';
import { columnExists, createIndex, tableOptions, types } from './util';

/**
 * Uploads know who made them, and anonymous ones are tracked until they are used:
 * - `im_file_info.uploader_id` (NULL for box-im's rows and anonymous uploads) and
 *   `im_file_info.sha256`: de-duplication is per uploader on (sha256, size), so an upload
 *   never reveals another user's key or upload date. box-im's `md5` column is still filled
 *   and keeps its meaning for box-im's own nodes; no column changes meaning.
 * - `im_file_anonymous`: one row per upload made without a token (`ANONYMOUS_UPLOADS=on`),
 *   until a message or profile refers to it or `expire_time` passes. `private_message_id`
 *   and `group_message_id` are the highest message ids at upload time: only later messages
 *   can refer to the upload, so the reference check scans only those.
 */
export function fileUploaderMigration(dialect: DialectName) {
  const t = types(dialect);
  const q = (name: string, table: string) => (dialect === 'mysql' ? name : `${table}_${name}`);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      const files = 'im_file_info';
      if (!(await columnExists(db, files, 'uploader_id'))) {
        await db.schema.alterTable(files).addColumn('uploader_id', t.bigint).execute();
      }
      if (!(await columnExists(db, files, 'sha256'))) {
        await db.schema.alterTable(files).addColumn('sha256', 'varchar(64)').execute();
      }
      await createIndex(db, dialect, files, q('idx_uploader_sha256', files), ['uploader_id', 'sha256']);

      const anonymous = 'im_file_anonymous';
      await tableOptions(
        dialect,
        db.schema
          .createTable(anonymous)
          .ifNotExists()
          .addColumn('file_id', t.bigint, (c) => c.primaryKey())
          .addColumn('ip', 'varchar(64)', (c) => c.notNull())
          .addColumn('private_message_id', t.bigint, (c) => c.notNull())
          .addColumn('group_message_id', t.bigint, (c) => c.notNull())
          .addColumn('expire_time', t.datetime, (c) => c.notNull()),
      ).execute();
      await createIndex(db, dialect, anonymous, q('idx_expire_time', anonymous), ['expire_time']);
    },
    async down(): Promise<void> {
      // Columns and the table are kept: dropping them would lose who uploaded what.
    },
  };
}
