import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../dialects/dialect';

/**
 * User names are case-insensitive, as on box-im's MySQL (whose collation compares them so):
 * SQLite and PostgreSQL get a unique index on lower(user_name), and lookups compare
 * lowercased names there. MySQL/MariaDB already behave so through the column collation.
 */
export function userNameCaseMigration(dialect: DialectName) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      if (dialect === 'mysql') return;
      await sql`create unique index if not exists im_user_uk_user_name_lower on im_user (lower(user_name))`.execute(
        db,
      );
    },
    async down(db: Kysely<unknown>): Promise<void> {
      if (dialect === 'mysql') return;
      await sql`drop index if exists im_user_uk_user_name_lower`.execute(db);
    },
  };
}
