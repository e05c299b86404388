import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { DialectHandle, GroupMessageRow, PrivateMessageRow } from '../db';
import { FTS_MARK_TABLE } from '../db/migrations/021-message-search-batched';
import { addressedTo } from './group-message.repository';

const TABLES = ['im_private_message', 'im_group_message'] as const;
type MessageTable = (typeof TABLES)[number];

/** The last id of `table` in its search index (SQLite, migration 021), as a subquery. */
const indexedUpTo = (table: MessageTable) =>
  sql`(select indexed_id from ${sql.table(FTS_MARK_TABLE)} where table_name = ${table})`;

/** What a search looks for besides the keyword; all optional. */
export interface SearchFilter {
  keyword: string;
  /** Private: only the chat with this user. */
  peerId?: number | undefined;
  /** Group: only this group. */
  groupId?: number | undefined;
  senderId?: number | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  /** Newest first, at most this many. */
  limit: number;
}

const TEXT = 0;
const RECALL = 2;

/**
 * The id as an expression, not the column: ordering by the column itself lets SQLite walk
 * the whole table backwards by primary key until enough rows match (slow when few do);
 * by the expression, it starts from the caller's rows (per-user / membership indexes, or the
 * FTS hits) and sorts those.
 */
const newestFirst = (column: 'id' | 'g.id') => sql<number>`${sql.ref(column)} + 0`;

/** `%keyword%` for LIKE with `!` as the escape character (the same on every engine). */
function likePattern(keyword: string): string {
  return `%${keyword.replace(/[!%_]/g, (c) => `!${c}`)}%`;
}

/** An FTS5 / boolean-mode phrase: the keyword as one quoted string. */
function phrase(keyword: string): string {
  return `"${keyword.replace(/"/g, '""')}"`;
}

/**
 * Message search: text messages whose content holds the keyword (case-insensitive for
 * Latin letters), among the caller's readable rows. The substring test decides on every
 * engine; the n-gram index of each engine (migration 013) narrows the rows first where it
 * can: SQLite FTS5 trigram (keywords of 3+ characters), MySQL ngram FULLTEXT, PostgreSQL
 * pg_trgm (used by the planner for ILIKE). Shorter keywords, and MariaDB, read the caller's
 * own rows through the per-user indexes.
 */
export class MessageSearchRepository {
  private mysqlFulltext: Promise<boolean> | undefined;
  private onStored: (() => void) | undefined;

  constructor(private readonly h: DialectHandle) {}

  /**
   * Told by the message repositories after a commit stored messages (the index job's cue to
   * run `indexPending`; without a listener, nothing).
   */
  readonly stored = (): void => this.onStored?.();

  /** The index job: `listener` is called after every commit that stored messages. */
  listenStored(listener: (() => void) | undefined): void {
    this.onStored = listener;
  }

  /** Whether new rows wait for `indexPending` to be in the search index (SQLite). */
  get indexesInBatches(): boolean {
    return this.h.name === 'sqlite';
  }

  async privateMessages(userId: number, f: SearchFilter): Promise<PrivateMessageRow[]> {
    const match = await this.matcher('im_private_message', f.keyword);
    let q = this.h.db
      .selectFrom('im_private_message')
      .selectAll()
      .where((eb) => eb.or([eb('send_id', '=', userId), eb('recv_id', '=', userId)]))
      .where('type', '=', TEXT)
      .where('status', '<>', RECALL)
      .where(match('content'));
    if (f.peerId !== undefined) {
      const peer = f.peerId;
      q = q.where((eb) =>
        eb.or([
          eb.and([eb('send_id', '=', userId), eb('recv_id', '=', peer)]),
          eb.and([eb('send_id', '=', peer), eb('recv_id', '=', userId)]),
        ]),
      );
    }
    if (f.senderId !== undefined) q = q.where('send_id', '=', f.senderId);
    if (f.from) q = q.where('send_time', '>=', f.from);
    if (f.to) q = q.where('send_time', '<=', f.to);
    return q.orderBy(newestFirst('id'), 'desc').limit(f.limit).execute();
  }

  /** Group messages the user sees (as history shows them: after joining, until leaving). */
  async groupMessages(userId: number, f: SearchFilter): Promise<GroupMessageRow[]> {
    const match = await this.matcher('im_group_message', f.keyword);
    let q = this.h.db
      .selectFrom('im_group_message as g')
      .innerJoin('im_group_member as m', (join) =>
        join.onRef('m.group_id', '=', 'g.group_id').on('m.user_id', '=', userId),
      )
      .selectAll('g')
      .where('g.type', '=', TEXT)
      .where('g.status', '<>', RECALL)
      .where(addressedTo('g.recv_ids', userId))
      .whereRef('g.id', '>', 'm.join_message_id')
      .where((eb) =>
        eb.or([eb('m.join_message_id', '>', 0), eb('g.send_time', '>=', eb.ref('m.created_time'))]),
      )
      .where((eb) =>
        eb.or([
          eb('m.quit', '=', 0),
          eb('g.id', '<=', eb.ref('m.quit_message_id')),
          eb.and([eb('m.quit_message_id', 'is', null), eb('g.send_time', '<=', eb.ref('m.quit_time'))]),
        ]),
      )
      .where(match('g.content'));
    if (f.groupId !== undefined) q = q.where('g.group_id', '=', f.groupId);
    if (f.senderId !== undefined) q = q.where('g.send_id', '=', f.senderId);
    if (f.from) q = q.where('g.send_time', '>=', f.from);
    if (f.to) q = q.where('g.send_time', '<=', f.to);
    return q.orderBy(newestFirst('g.id'), 'desc').limit(f.limit).execute();
  }

  /**
   * SQLite: put the rows committed since the last call into the FTS tables, one statement
   * per table, and move each table's mark to its last row, in one transaction (so a crash
   * leaves the mark where the index is). Returns how many rows were indexed; other engines
   * index as they insert: 0.
   */
  async indexPending(): Promise<number> {
    if (!this.indexesInBatches) return 0;
    return this.h.db.transaction().execute(async (trx) => {
      let count = 0;
      for (const table of TABLES) {
        const mark = indexedUpTo(table);
        const last = await sql<{
          last: number | null;
        }>`select max(id) as last from ${sql.table(table)}`.execute(trx);
        const upTo = Number(last.rows[0]?.last ?? 0);
        const fts = sql.table(`${table}_fts`);
        const added = await sql`insert into ${fts}(rowid, content)
          select id, content from ${sql.table(table)} where id > ${mark} and id <= ${upTo}`.execute(trx);
        const rows = Number(added.numAffectedRows ?? 0);
        if (rows === 0) continue;
        count += rows;
        await sql`update ${sql.table(FTS_MARK_TABLE)} set indexed_id = ${upTo}
          where table_name = ${table} and indexed_id < ${upTo}`.execute(trx);
      }
      return count;
    });
  }

  /** The keyword condition on `column` of `table` for this engine. */
  private async matcher(
    table: MessageTable,
    keyword: string,
  ): Promise<(column: string) => RawBuilder<SqlBool>> {
    const pattern = likePattern(keyword);
    const chars = [...keyword].length;
    const name = this.h.name;
    const idColumn = (column: string) => sql.ref(column.startsWith('g.') ? 'g.id' : 'id');
    if (name === 'postgres') return (column) => sql<SqlBool>`${sql.ref(column)} ilike ${pattern} escape '!'`;
    const like = (column: string) => sql<SqlBool>`${sql.ref(column)} like ${pattern} escape '!'`;
    if (name === 'sqlite' && chars >= 3) {
      const fts = sql.table(`${table}_fts`);
      // Rows above the mark are not in the index yet (see `indexPending`): scanned instead.
      const mark = indexedUpTo(table);
      return (column) =>
        sql<SqlBool>`((${idColumn(column)} in (select rowid from ${fts} where ${fts} match ${phrase(keyword)}) or ${idColumn(column)} > ${mark}) and ${like(column)})`;
    }
    if (name === 'mysql' && chars >= 2 && (await this.hasMysqlFulltext())) {
      return (column) =>
        sql<SqlBool>`(match(${sql.ref(column)}) against (${phrase(keyword)} in boolean mode) and ${like(column)})`;
    }
    return (column) => like(column);
  }

  /** MySQL with the ngram FULLTEXT indexes of migration 013 (MariaDB has none). */
  private hasMysqlFulltext(): Promise<boolean> {
    this.mysqlFulltext ??= sql<{ n: number }>`
      select count(*) as n from information_schema.statistics
      where table_schema = database() and index_name in ('ft_im_private_message_content', 'ft_im_group_message_content')`
      .execute(this.h.db)
      .then((r) => Number(r.rows[0]?.n ?? 0) >= 2);
    return this.mysqlFulltext;
  }
}
