import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../dialects/dialect';

const TABLES = ['im_private_message', 'im_group_message'] as const;

/**
 * Full-text search over message contents, Chinese included (no word boundaries), so every
 * engine indexes character n-grams:
 * - SQLite: an FTS5 table per message table with the trigram tokenizer, over the message
 *   table's own rows (external content, no copy of the text), kept in step by triggers;
 * - MySQL: a FULLTEXT index with the ngram parser (MariaDB has no ngram parser: there the
 *   search reads the caller's own rows, see `MessageSearchRepository`);
 * - PostgreSQL: a pg_trgm GIN index (skipped with a notice when the extension cannot be made).
 * Nothing changes box-im's tables but an added index.
 */
export function messageSearchMigration(dialect: DialectName) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      for (const table of TABLES) {
        if (dialect === 'sqlite') await sqliteFts(db, table);
        else if (dialect === 'mysql') await mysqlNgram(db, table);
        else await postgresTrgm(db, table);
      }
    },
    async down(): Promise<void> {
      // Indexes only; kept.
    },
  };
}

async function sqliteFts(db: Kysely<unknown>, table: string): Promise<void> {
  const fts = `${table}_fts`;
  await sql
    .raw(
      `create virtual table if not exists ${fts} using fts5(content, content='${table}', content_rowid='id', tokenize='trigram')`,
    )
    .execute(db);
  await sql
    .raw(
      `create trigger if not exists ${fts}_ai after insert on ${table} begin
         insert into ${fts}(rowid, content) values (new.id, new.content); end`,
    )
    .execute(db);
  await sql
    .raw(
      `create trigger if not exists ${fts}_ad after delete on ${table} begin
         insert into ${fts}(${fts}, rowid, content) values ('delete', old.id, old.content); end`,
    )
    .execute(db);
  await sql
    .raw(
      `create trigger if not exists ${fts}_au after update of content on ${table} begin
         insert into ${fts}(${fts}, rowid, content) values ('delete', old.id, old.content);
         insert into ${fts}(rowid, content) values (new.id, new.content); end`,
    )
    .execute(db);
  await sql.raw(`insert into ${fts}(${fts}) values ('rebuild')`).execute(db);
}

/** Whether MySQL (not MariaDB) knows the ngram parser: MariaDB answers with an error. */
async function mysqlNgram(db: Kysely<unknown>, table: string): Promise<void> {
  const name = `ft_${table}_content`;
  const exists = await sql<{ n: number }>`
    select count(*) as n from information_schema.statistics
    where table_schema = database() and table_name = ${table} and index_name = ${name}`.execute(db);
  if (Number(exists.rows[0]?.n ?? 0) > 0) return;
  const version = await sql<{ v: string }>`select version() as v`.execute(db);
  if (/mariadb/i.test(version.rows[0]?.v ?? '')) return;
  await sql.raw(`alter table ${table} add fulltext index ${name} (content) with parser ngram`).execute(db);
}

async function postgresTrgm(db: Kysely<unknown>, table: string): Promise<void> {
  // The migration runs in a transaction: a failed CREATE EXTENSION would abort it, so ask first.
  const state = await sql<{ installed: number; available: number; allowed: boolean }>`
    select (select count(*)::int from pg_extension where extname = 'pg_trgm') as installed,
           (select count(*)::int from pg_available_extensions where name = 'pg_trgm') as available,
           has_database_privilege(current_database(), 'CREATE') as allowed`.execute(db);
  const row = state.rows[0];
  if (!row?.installed) {
    // Without it search still works (a scan of the caller's rows), without the index.
    if (!row?.available || !row.allowed) return;
    await sql`create extension if not exists pg_trgm`.execute(db);
  }
  await sql
    .raw(`create index if not exists idx_${table}_content_trgm on ${table} using gin (content gin_trgm_ops)`)
    .execute(db);
}
