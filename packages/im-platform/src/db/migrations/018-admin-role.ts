import type { Kysely } from 'kysely';
import type { DialectName } from '../dialects/dialect';
import { columnExists, types } from './util';

/**
 * System administrators (issue 15): `im_user.is_admin` 0/1, default 0. box-im's own admin
 * console keeps its accounts in a separate table; this column only gives the platform's
 * `/api/admin/*` routes their callers. box-im ignores the column.
 */
export function adminRoleMigration(dialect: DialectName) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      if (await columnExists(db, 'im_user', 'is_admin')) return;
      await db.schema
        .alterTable('im_user')
        .addColumn('is_admin', types(dialect).flag, (c) => c.notNull().defaultTo(0))
        .execute();
    },
    async down(): Promise<void> {
      // Kept: dropping it would silently demote every administrator.
    },
  };
}
