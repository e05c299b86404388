import { sql, type Kysely } from 'kysely';
import type { DialectName } from './dialects/dialect';

/**
 * Text columns of our tables that cannot hold 4-byte characters (emoji): on MySQL/MariaDB,
 * those not in utf8mb4, as on a box-im database created with `utf8`. Empty elsewhere.
 * Writing an emoji there is refused (UNSTORABLE_TEXT); the operator should convert them.
 */
export async function narrowTextColumns<DB>(db: Kysely<DB>, dialect: DialectName): Promise<string[]> {
  if (dialect !== 'mysql') return [];
  const result = await sql<{ name: string }>`
    select concat(table_name, '.', column_name) as name from information_schema.columns
    where table_schema = database() and table_name like 'im\\_%'
      and character_set_name is not null and character_set_name <> 'utf8mb4'`.execute(db);
  return result.rows.map((r) => r.name);
}
