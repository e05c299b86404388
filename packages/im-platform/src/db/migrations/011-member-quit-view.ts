import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../dialects/dialect';
import { columnExists } from './util';

/**
 * Former members see the group as it was when they left, not its later name, notice or
 * avatar: `im_group_member.quit_group_name`, `quit_group_notice`, `quit_group_head_image`
 * and `quit_group_head_image_thumb` hold the group's profile at the member's leaving (NULL
 * while a member). Rows that had already left get the profile the group has now (the best
 * known), so later changes stay hidden from them too.
 */
export function memberQuitViewMigration(_dialect: DialectName) {
  const columns = [
    ['quit_group_name', 'varchar(255)', 'name'],
    ['quit_group_notice', 'varchar(1024)', 'notice'],
    ['quit_group_head_image', 'varchar(255)', 'head_image'],
    ['quit_group_head_image_thumb', 'varchar(255)', 'head_image_thumb'],
  ] as const;
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      const member = 'im_group_member';
      for (const [column, type] of columns) {
        if (!(await columnExists(db, member, column))) {
          await db.schema.alterTable(member).addColumn(column, type).execute();
        }
      }
      for (const [column, , source] of columns) {
        await sql`update im_group_member set ${sql.ref(column)} =
          (select ${sql.ref(`g.${source}`)} from im_group g where g.id = im_group_member.group_id)
          where quit = 1 and ${sql.ref(column)} is null`.execute(db);
      }
    },
    async down(): Promise<void> {
      // Columns are kept: dropping them would show former members the group's later profile.
    },
  };
}
