import type { Kysely } from 'kysely';
import type { DialectName } from '../dialects/dialect';
import { createIndex, tableOptions, types, withId } from './util';

/**
 * The audit log of administrator actions (issue 15): who (`admin_id`), what (`action`), on
 * what (`target_type`, `target_id`), why (`reason`), details (`detail`) and when
 * (`created_time`). Rows are only ever inserted.
 */
export function adminAuditMigration(dialect: DialectName) {
  const t = types(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await tableOptions(
        dialect,
        withId(dialect, db.schema.createTable('im_admin_audit').ifNotExists())
          .addColumn('admin_id', t.bigint, (c) => c.notNull())
          .addColumn('action', 'varchar(32)', (c) => c.notNull())
          .addColumn('target_type', 'varchar(16)', (c) => c.notNull())
          .addColumn('target_id', t.bigint)
          .addColumn('reason', 'varchar(255)', (c) => c.notNull().defaultTo(''))
          .addColumn('detail', 'varchar(255)', (c) => c.notNull().defaultTo(''))
          .addColumn('created_time', t.datetime, (c) => c.notNull()),
      ).execute();
      await createIndex(db, dialect, 'im_admin_audit', 'idx_admin_audit_time', ['created_time']);
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('im_admin_audit').ifExists().execute();
    },
  };
}
