import { sql, type InsertQueryBuilder, type InsertResult, type UpdateResult } from 'kysely';
import type { DialectHandle } from './dialects/dialect';
import { PreparedShapes, slot } from './prepared';
import type { Database } from './schema';

/**
 * Run an INSERT of one row and return the new id. PostgreSQL reports it only through
 * `RETURNING`; SQLite and MySQL through the driver's insert id.
 */
export async function insertReturningId<DB, TB extends keyof DB>(
  handle: Pick<DialectHandle, 'name'>,
  query: InsertQueryBuilder<DB, TB, InsertResult>,
): Promise<number> {
  if (handle.name === 'postgres') {
    const row = (await (query as unknown as InsertQueryBuilder<DB, TB, { id: number }>)
      .returning('id' as never)
      .executeTakeFirstOrThrow()) as { id: number };
    return Number(row.id);
  }
  const result = await query.executeTakeFirstOrThrow();
  return Number(result.insertId);
}

/** Run an UPDATE and return how many rows it changed (compare-and-set updates test it > 0). */
export async function updatedRows(query: { executeTakeFirst(): Promise<UpdateResult> }): Promise<number> {
  return Number((await query.executeTakeFirst()).numUpdatedRows);
}

/** A message row to insert: who sent it and the client's id of it (null: no retry to detect). */
interface MessageInsert {
  send_id: number;
  tmp_id: string | null;
}

/**
 * Insert message rows (of `im_private_message` or `im_group_message`) in one statement and
 * return each row's id in order, null for a row whose (send_id, tmp_id) is taken (a retry, or a
 * row before it in this statement). Undefined when one statement cannot do it, and nothing was
 * written: the caller then inserts the rows one by one.
 * - SQLite on a group commit's held connection (`h.direct`), private messages: undefined, the
 *   rows one by one (prepared single-row INSERTs).
 * - PostgreSQL and SQLite: `ON CONFLICT DO NOTHING RETURNING id, send_id, tmp_id`; a row's id
 *   is found by its (send_id, tmp_id), and rows of one such pair (only a null tmp_id repeats)
 *   take the pair's ids in ascending order, which is their order (ids are drawn row by row;
 *   SQLite returns the rows in no set order, hence the sort).
 * - MariaDB/MySQL: the first id is the insert id and the rows got consecutive ids, which the
 *   server guarantees for one multi-row INSERT only with `innodb_autoinc_lock_mode` ≤ 1 and
 *   `auto_increment_increment` = 1 (checked once per database); a taken (send_id, tmp_id)
 *   fails the statement (undone alone), and the rows are then inserted one by one.
 */
export async function insertMessagesReturningIds<T extends MessageInsert>(
  h: DialectHandle,
  table: MessageTable,
  rows: readonly T[],
): Promise<(number | null)[] | undefined> {
  // SQLite on the held connection: one prepared single-row INSERT per row, run directly, costs
  // about half the main thread's time of the multi-row `ON CONFLICT … RETURNING` (its id
  // mapping included) in the DB-half bench; a taken tmp_id fails only its own statement there.
  // Private messages only: their single-row INSERT is prepared, the group one is built per row.
  if (h.direct && table === 'im_private_message') return undefined;
  if (h.name === 'postgres' || h.name === 'sqlite') {
    const inserted = (await insertReturning(h, table, rows)) as {
      id: number;
      send_id: number;
      tmp_id: string | null;
    }[];
    return idsInOrder(rows, inserted);
  }
  if (h.name !== 'mysql' || !(await consecutiveIds(h))) return undefined;
  try {
    const result = await h.db
      .insertInto(table)
      .values(rows as never)
      .executeTakeFirstOrThrow();
    const first = Number(result.insertId);
    return rows.map((_, i) => first + i);
  } catch (error) {
    if (h.isUniqueViolation(error)) return undefined;
    throw error;
  }
}

/**
 * The multi-row `INSERT … ON CONFLICT DO NOTHING RETURNING` of PostgreSQL and SQLite, prepared
 * per (table, columns, row count) when the rows have the same columns (a batch's rows do):
 * building and compiling it with kysely on every batch was ~5 % of the standalone server's
 * CPU per message. Other batches (odd columns, more rows or shapes than kept) are built as usual.
 */
async function insertReturning<T extends object>(h: DialectHandle, table: MessageTable, rows: readonly T[]) {
  const columns = Object.keys(rows[0]!);
  const names = columns.join(',');
  const same = rows.length <= MAX_PREPARED_ROWS && rows.every((row) => sameKeys(row, columns));
  const key = `${table}(${names})×${rows.length}`;
  if (same && !SHAPES.has(key)) SHAPES.set(key, { table, columns, count: rows.length });
  const prepared = same ? MULTI_ROW.get(key) : undefined;
  if (!prepared) return onConflictReturning(h.db.insertInto(table).values(rows as never)).execute();
  const args: Record<string, unknown> = {};
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as Record<string, unknown>;
    for (const column of columns) args[`r${i}_${column}`] = row[column];
  }
  return (await prepared.execute(h, args)).rows;
}

/** Whether the row has exactly these keys, in this order. */
function sameKeys(row: object, columns: readonly string[]): boolean {
  let i = 0;
  for (const key in row) if (key !== columns[i++]) return false;
  return i === columns.length;
}

/**
 * Each row's id from the RETURNING rows, null for a row that inserted nothing: a returned row
 * is found by its (send_id, tmp_id); rows of one such pair take its ids in ascending order.
 */
function idsInOrder(
  rows: readonly MessageInsert[],
  inserted: readonly { id: number; send_id: number; tmp_id: string | null }[],
): (number | null)[] {
  const ids = new Map<string, number[]>();
  for (const row of [...inserted].sort((a, b) => Number(a.id) - Number(b.id))) {
    const key = rowKey(row);
    const list = ids.get(key);
    if (list) list.push(Number(row.id));
    else ids.set(key, [Number(row.id)]);
  }
  return rows.map((row) => ids.get(rowKey(row))?.shift() ?? null);
}

type MessageTable = 'im_private_message' | 'im_group_message';
interface Shape {
  table: MessageTable;
  columns: string[];
  count: number;
}

/** Batches of more rows than this run unprepared (their statements would crowd SQLite's cache). */
const MAX_PREPARED_ROWS = 64;

const onConflictReturning = (query: InsertQueryBuilder<Database, MessageTable, InsertResult>) =>
  query
    .onConflict((oc) => oc.columns(['send_id', 'tmp_id']).doNothing())
    .returning(['id', 'send_id', 'tmp_id']);

/** The shape of each key, for the builder of its prepared statement (built on first use). */
const SHAPES = new Map<string, Shape>();
const MULTI_ROW = new PreparedShapes<string, Record<string, unknown>, unknown>((db, key) => {
  const { table, columns, count } = SHAPES.get(key)!;
  const rows = Array.from({ length: count }, (_, i) =>
    Object.fromEntries(columns.map((column) => [column, slot(`r${i}_${column}`)])),
  );
  return onConflictReturning(db.insertInto(table).values(rows as never));
}, 256);

const rowKey = (row: MessageInsert) => `${row.send_id}\u0000${row.tmp_id ?? '\u0000null'}`;

/** Per database (its handle's pool): whether a multi-row INSERT gets consecutive ids. */
const consecutive = new WeakMap<object, Promise<boolean>>();

function consecutiveIds(h: DialectHandle): Promise<boolean> {
  // The pool's function is the database's identity here (a transaction's handle is a copy).
  // eslint-disable-next-line @typescript-eslint/unbound-method -- an identity, never called
  const database = h.poolStats;
  let known = consecutive.get(database);
  if (!known) {
    known = sql<{
      mode: number | string;
      step: number | string;
    }>`select @@innodb_autoinc_lock_mode as mode, @@auto_increment_increment as step`
      .execute(h.db)
      .then(({ rows }) => Number(rows[0]?.mode) <= 1 && Number(rows[0]?.step) === 1)
      .catch(() => false);
    consecutive.set(database, known);
  }
  return known;
}
