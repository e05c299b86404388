import { sql, type ColumnDataType, type CreateTableBuilder, type Expression, type Kysely } from 'kysely';
import type { DialectName } from '../dialects/dialect';

/** Column types that differ between engines, named after box-im's MySQL types. */
export function types(dialect: DialectName) {
  const pick = <T>(sqlite: T, mysql: T, postgres: T): T =>
    dialect === 'sqlite' ? sqlite : dialect === 'mysql' ? mysql : postgres;
  return {
    tinyint: pick<ColumnDataType | Expression<unknown>>('integer', sql`tinyint`, 'smallint'),
    flag: pick<ColumnDataType | Expression<unknown>>('integer', sql`tinyint(1)`, 'smallint'),
    smallint: pick<ColumnDataType>('integer', 'smallint', 'smallint'),
    integer: 'integer' as ColumnDataType,
    bigint: pick<ColumnDataType>('integer', 'bigint', 'bigint'),
    datetime: pick<ColumnDataType>('text', 'datetime', 'timestamp'),
  };
}

/** `id` bigint auto-increment primary key, on every engine. */
export function withId<T extends string>(dialect: DialectName, table: CreateTableBuilder<T, never>) {
  if (dialect === 'postgres') return table.addColumn('id', 'bigserial', (c) => c.primaryKey());
  if (dialect === 'sqlite') return table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
  return table.addColumn('id', 'bigint', (c) => c.primaryKey().autoIncrement());
}

/** box-im's tables are InnoDB utf8mb4 on MySQL; other engines need nothing. */
export function tableOptions<T extends string, C extends string>(
  dialect: DialectName,
  table: CreateTableBuilder<T, C>,
): CreateTableBuilder<T, C> {
  return dialect === 'mysql' ? table.modifyEnd(sql`engine=innodb default charset=utf8mb4`) : table;
}

async function indexExists(db: Kysely<unknown>, dialect: DialectName, table: string, name: string) {
  if (dialect !== 'mysql') return false; // the others support IF NOT EXISTS
  const result = await sql<{ n: number }>`
    select count(*) as n from information_schema.statistics
    where table_schema = database() and table_name = ${table} and index_name = ${name}`.execute(db);
  return Number(result.rows[0]?.n ?? 0) > 0;
}

/**
 * Create an index unless it exists. MySQL has no `CREATE INDEX IF NOT EXISTS`, and an
 * existing box-im database already holds box-im's own indexes.
 */
export async function createIndex(
  db: Kysely<unknown>,
  dialect: DialectName,
  table: string,
  name: string,
  columns: string[],
  options: { unique?: boolean } = {},
): Promise<void> {
  if (await indexExists(db, dialect, table, name)) return;
  let builder = db.schema.createIndex(name).on(table).columns(columns);
  if (options.unique) builder = builder.unique();
  if (dialect !== 'mysql') builder = builder.ifNotExists();
  await builder.execute();
}

/** Whether a column exists (for migrations that add columns to box-im's tables). */
export async function columnExists(db: Kysely<unknown>, table: string, column: string): Promise<boolean> {
  const tables = await db.introspection.getTables();
  return tables.some((t) => t.name === table && t.columns.some((c) => c.name === column));
}

/**
 * Clear repeated client temp ids of one sender (all but the oldest message keep theirs), so
 * that a unique (send_id, tmp_id) index can be built on data box-im wrote. No row is deleted.
 */
export async function dedupeTmpIds(
  db: Kysely<unknown>,
  table: 'im_private_message' | 'im_group_message',
): Promise<void> {
  const dups = await sql<{ send_id: number; tmp_id: string; keep: number }>`
    select send_id, tmp_id, min(id) as keep from ${sql.table(table)} where tmp_id is not null
    group by send_id, tmp_id having count(*) > 1`.execute(db);
  for (const { send_id, tmp_id, keep } of dups.rows) {
    await sql`update ${sql.table(table)} set tmp_id = null
      where send_id = ${send_id} and tmp_id = ${tmp_id} and id <> ${keep}`.execute(db);
  }
}
