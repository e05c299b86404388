import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../dialects/dialect';

/** Per message table, the highest id whose row is in its FTS table (SQLite only). */
export const FTS_MARK_TABLE = 'im_message_fts_mark';

/**
 * SQLite: message rows are indexed for search in batches after their commit (see
 * `MessageSearchRepository.indexPending`) instead of by a trigger per inserted row. FTS5
 * writes a segment per transaction that touched it; a trigger made every group-commit batch
 * (a few messages) pay that, a batch of a few hundred pays it once. `im_message_fts_mark`
 * holds the highest indexed id of each table: everything up to it is in the index (ids only
 * grow: AUTOINCREMENT), rows above it are found by search through a scan of that tail and
 * indexed at the next batch, at the latest when the process starts again. The delete and
 * content-update triggers now touch the index only for rows in it. Other engines: nothing.
 */
export function messageSearchBatchedMigration(dialect: DialectName) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      if (dialect !== 'sqlite') return;
      await sql
        .raw(
          `create table if not exists ${FTS_MARK_TABLE} (table_name varchar(64) primary key, indexed_id integer not null)`,
        )
        .execute(db);
      for (const table of ['im_private_message', 'im_group_message']) {
        const fts = `${table}_fts`;
        const indexed = `old.id <= (select indexed_id from ${FTS_MARK_TABLE} where table_name = '${table}')`;
        // The insert trigger indexed every row so far: the mark starts at the last one.
        await sql
          .raw(
            `insert or ignore into ${FTS_MARK_TABLE} (table_name, indexed_id) select '${table}', coalesce(max(id), 0) from ${table}`,
          )
          .execute(db);
        for (const suffix of ['ai', 'ad', 'au'])
          await sql.raw(`drop trigger if exists ${fts}_${suffix}`).execute(db);
        await sql
          .raw(
            `create trigger ${fts}_ad after delete on ${table} when ${indexed} begin
               insert into ${fts}(${fts}, rowid, content) values ('delete', old.id, old.content); end`,
          )
          .execute(db);
        await sql
          .raw(
            `create trigger ${fts}_au after update of content on ${table} when ${indexed} begin
               insert into ${fts}(${fts}, rowid, content) values ('delete', old.id, old.content);
               insert into ${fts}(rowid, content) values (new.id, new.content); end`,
          )
          .execute(db);
      }
    },
    async down(): Promise<void> {
      // Kept.
    },
  };
}
