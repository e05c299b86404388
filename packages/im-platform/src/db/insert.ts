import type { InsertQueryBuilder, InsertResult, UpdateResult } from 'kysely';
import type { DialectHandle } from './dialects/dialect';

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
