import { MessageStatus } from '@box-im/im-common';
import type { DialectHandle, PrivateMessageRow } from '../db';
import { insertMessagesReturningIds, updatedRows } from '../db';
import type { CommitLanes } from '../db/group-commit';
import { PreparedQuery, PreparedShapes, slot } from '../db/prepared';

/** A row about to be inserted (every column but the id). */
export type NewPrivateMessage = Omit<PrivateMessageRow, 'id' | 'quote_message_id'> & {
  content: string;
  quote_message_id?: number | null;
};

/** SQL of `im_private_message`. */
export class PrivateMessageRepository {
  /**
   * @param commits when given, `insert`, `markDelivered` and `markConversationRead` join its batches (one transaction
   *   for every write of a tick; each resolves once committed)
   * @param stored called after a commit that stored messages (the search index's cue)
   */
  constructor(
    private readonly h: DialectHandle,
    private readonly commits?: CommitLanes,
    private readonly stored: () => void = () => undefined,
  ) {}

  /** Insert a message; returns null when (send_id, tmp_id) is already taken (a retry). */
  insert(row: NewPrivateMessage): Promise<number | null> {
    if (!this.commits) return insertRow(this.h, row).finally(this.stored);
    const item: NewRowArgs = { ...row, quote_message_id: row.quote_message_id ?? null };
    return this.commits.inserts.submit((th) => insertRow(th, row), { all: insertRows, item }, this.stored);
  }

  findById(id: number): Promise<PrivateMessageRow | undefined> {
    return this.h.db.selectFrom('im_private_message').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Several messages by id (in no particular order); unknown ids are skipped. */
  findByIds(ids: readonly number[]): Promise<PrivateMessageRow[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.h.db
      .selectFrom('im_private_message')
      .selectAll()
      .where('id', 'in', [...ids])
      .execute();
  }

  findBySenderTmpId(sendId: number, tmpId: string): Promise<PrivateMessageRow | undefined> {
    return this.h.db
      .selectFrom('im_private_message')
      .selectAll()
      .where('send_id', '=', sendId)
      .where('tmp_id', '=', tmpId)
      .executeTakeFirst();
  }

  /** PENDING → DELIVERED for these ids (other statuses are left alone). */
  async markDelivered(ids: readonly number[]): Promise<void> {
    if (ids.length === 0) return;
    const prepared = MARK_DELIVERED.get(ids.length);
    const update = async (h: DialectHandle) => {
      if (prepared) {
        await prepared.execute(h, Object.fromEntries(ids.map((id, i) => [`id${i}`, id])));
        return;
      }
      await markDeliveredQuery(h.db, ids).execute();
    };
    await (this.commits ? this.commits.updates.submit(update) : update(this.h));
  }

  /** Set a message RECALL unless it already is; false if it was (a concurrent recall won). */
  async markRecalled(id: number): Promise<boolean> {
    const changed = await updatedRows(
      this.h.db
        .updateTable('im_private_message')
        .set({ status: MessageStatus.RECALL })
        .where('id', '=', id)
        .where('status', '<>', MessageStatus.RECALL),
    );
    return changed > 0;
  }

  /**
   * The next `limit` messages of the user (sent or received) with `id > afterId` sent since
   * `since`, ascending. Two index range scans (one per direction) merged, so each page costs
   * at most 2 × limit rows whatever the backlog.
   */
  async pageAfter(userId: number, afterId: number, since: Date, limit: number): Promise<PrivateMessageRow[]> {
    const side = (column: 'send_id' | 'recv_id') =>
      this.h.db
        .selectFrom('im_private_message')
        .selectAll()
        .where(column, '=', userId)
        .where('id', '>', afterId)
        .where('send_time', '>=', since)
        .orderBy('id')
        .limit(limit)
        .execute();
    const [sent, received] = await Promise.all([side('send_id'), side('recv_id')]);
    return mergeById(sent, received).slice(0, limit);
  }

  /**
   * Messages the user received that no terminal ever got (still PENDING) with ids in
   * `(afterId, maxId]`: pushes lost on the way, whose ids a client cursor may have passed.
   */
  pendingReceived(
    userId: number,
    afterId: number,
    maxId: number,
    since: Date,
    limit: number,
  ): Promise<PrivateMessageRow[]> {
    return this.h.db
      .selectFrom('im_private_message')
      .selectAll()
      .where('recv_id', '=', userId)
      .where('status', '=', MessageStatus.PENDING)
      .where('id', '>', afterId)
      .where('id', '<=', maxId)
      .where('send_time', '>=', since)
      .orderBy('id')
      .limit(limit)
      .execute();
  }

  /** Whether `senderId` ever sent `userId` a message (a conversation exists). */
  async hasReceivedFrom(userId: number, senderId: number): Promise<boolean> {
    const row = await this.h.db
      .selectFrom('im_private_message')
      .select('id')
      .where('send_id', '=', senderId)
      .where('recv_id', '=', userId)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Every message `friendId` sent to `userId` that is not yet READED (or recalled) becomes READED. */
  markConversationRead(userId: number, friendId: number): Promise<number> {
    const mark = (h: DialectHandle) =>
      updatedRows(
        h.db
          .updateTable('im_private_message')
          .set({ status: MessageStatus.READED })
          .where('send_id', '=', friendId)
          .where('recv_id', '=', userId)
          .where('status', 'in', [MessageStatus.PENDING, MessageStatus.DELIVERED]),
      );
    return this.commits ? this.commits.updates.submit(mark) : mark(this.h);
  }

  /** Highest id `userId` sent to `friendId` that the friend has read; -1 if none. */
  async maxReadedId(userId: number, friendId: number): Promise<number> {
    const row = await this.h.db
      .selectFrom('im_private_message')
      .select((eb) => eb.fn.max('id').as('maxId'))
      .where('send_id', '=', userId)
      .where('recv_id', '=', friendId)
      .where('status', '=', MessageStatus.READED)
      .executeTakeFirst();
    return row?.maxId === null || row?.maxId === undefined ? -1 : Number(row.maxId);
  }

  /** One page of the conversation, newest first, recalled originals left out. */
  history(userId: number, friendId: number, offset: number, limit: number): Promise<PrivateMessageRow[]> {
    return this.h.db
      .selectFrom('im_private_message')
      .selectAll()
      .where((eb) =>
        eb.or([
          eb.and([eb('send_id', '=', userId), eb('recv_id', '=', friendId)]),
          eb.and([eb('send_id', '=', friendId), eb('recv_id', '=', userId)]),
        ]),
      )
      .where('status', '<>', MessageStatus.RECALL)
      .orderBy('id', 'desc')
      .limit(limit)
      .offset(offset)
      .execute();
  }
}

/** The columns of a new row, bound by name (one statement shape for every message). */
const NEW_ROW = {
  tmp_id: slot<string | null>('tmp_id'),
  send_id: slot<number>('send_id'),
  recv_id: slot<number>('recv_id'),
  content: slot<string>('content'),
  type: slot<number>('type'),
  status: slot<number>('status'),
  send_time: slot<Date>('send_time'),
  quote_message_id: slot<number | null>('quote_message_id'),
};

/** SQLite and MariaDB: the id comes back as the driver's insert id. */
const INSERT = new PreparedQuery<NewRowArgs, never>((db) =>
  db.insertInto('im_private_message').values(NEW_ROW),
);
/** PostgreSQL: a taken (send_id, tmp_id) inserts nothing and returns no row. */
const INSERT_PG = new PreparedQuery<NewRowArgs, { id: number }>((db) =>
  db
    .insertInto('im_private_message')
    .values(NEW_ROW)
    .onConflict((oc) => oc.columns(['send_id', 'tmp_id']).doNothing())
    .returning('id'),
);
type NewRowArgs = Required<NewPrivateMessage>;

function markDeliveredQuery(db: DialectHandle['db'], ids: readonly unknown[]) {
  return db
    .updateTable('im_private_message')
    .set({ status: MessageStatus.DELIVERED })
    .where('id', 'in', ids as number[])
    .where('status', '=', MessageStatus.PENDING);
}

/** One shape per list length (a delivery batch is mostly 1 id, at most the results of a tick). */
const MARK_DELIVERED = new PreparedShapes<number, Record<string, number>, never>((db, n) =>
  markDeliveredQuery(
    db,
    Array.from({ length: n }, (_, i) => slot<number>(`id${i}`)),
  ),
);

/**
 * One INSERT; null when (send_id, tmp_id) is taken. PostgreSQL skips the conflicting row
 * (`ON CONFLICT DO NOTHING`) instead of failing, because a failed statement there aborts the
 * whole transaction (a batch of the group commit); SQLite and MariaDB undo only the statement.
 */
async function insertRow(h: DialectHandle, row: NewPrivateMessage): Promise<number | null> {
  const args: NewRowArgs = { ...row, quote_message_id: row.quote_message_id ?? null };
  if (h.name === 'postgres') {
    const inserted = (await INSERT_PG.execute(h, args)).rows[0];
    return inserted ? Number(inserted.id) : null;
  }
  try {
    const result = await INSERT.execute(h, args);
    if (result.insertId === undefined) throw new Error('insert reported no id');
    return Number(result.insertId);
  } catch (error) {
    if (row.tmp_id !== null && h.isUniqueViolation(error)) return null;
    throw error;
  }
}

/** The inserts of a group-commit batch in one statement (see `insertMessagesReturningIds`). */
const insertRows = (h: DialectHandle, rows: readonly NewRowArgs[]) =>
  insertMessagesReturningIds(h, 'im_private_message', rows);

/** Two id-ascending lists merged into one, duplicates dropped. */
function mergeById(a: PrivateMessageRow[], b: PrivateMessageRow[]): PrivateMessageRow[] {
  const out: PrivateMessageRow[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x = a[i];
    const y = b[j];
    const next = y === undefined || (x !== undefined && x.id <= y.id) ? x! : y;
    if (next === x) i++;
    if (next === y) j++;
    if (out.at(-1)?.id !== next.id) out.push(next);
  }
  return out;
}
