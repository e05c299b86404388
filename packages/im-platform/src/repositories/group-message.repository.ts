import { sql } from 'kysely';
import type { DialectHandle, GroupMessageRow } from '../db';
import { insertMessagesReturningIds, insertReturningId, updatedRows } from '../db';
import type { CommitLanes } from '../db/group-commit';

export interface NewGroupMessage {
  tmp_id: string | null;
  group_id: number;
  send_id: number;
  send_nick_name: string;
  recv_ids: string;
  content: string;
  at_user_ids: string | null;
  receipt: number;
  type: number;
  status: number;
  send_time: Date;
  /** The message a reply quotes (migration 012). */
  quote_message_id?: number | null;
}

/** What a member may see of a group: `after < id <= upTo`, `since <= send_time <= until`. */
export interface HistoryBounds {
  after: number;
  upTo: number | null;
  since: Date | null;
  until: Date | null;
}

/** The time window of an offline pull: messages sent since, memberships left since. */
export interface OfflineWindow {
  since: Date;
  quitSince: Date;
}

/** Statuses the offline pull and history treat specially. */
const RECALL_STATUS = 2;

/**
 * `recv_ids` is empty for messages to every member, else a comma list of the only users
 * who may see the message (e.g. "you were removed" tips).
 */
export function addressedTo(column: 'recv_ids' | 'g.recv_ids', userId: number) {
  const c = sql.ref(column);
  const id = String(userId);
  return sql<boolean>`(${c} is null or ${c} = '' or ${c} = ${id} or ${c} like ${`${id},%`} or ${c} like ${`%,${id}`} or ${c} like ${`%,${id},%`})`;
}

/** SQL of `im_group_message`. */
export class GroupMessageRepository {
  /**
   * @param commits when given, `insertUnlessTmpIdTaken` joins its batches (see `GroupCommit`)
   * @param stored called after a commit that stored messages (the search index's cue)
   */
  constructor(
    private readonly h: DialectHandle,
    private readonly commits?: CommitLanes,
    private readonly stored: () => void = () => undefined,
  ) {}

  insert(message: NewGroupMessage): Promise<number> {
    return insertReturningId(this.h, this.h.db.insertInto('im_group_message').values(message)).finally(
      this.stored,
    );
  }

  /** Insert a user's message; null when its (send_id, tmp_id) is already taken (a retry). */
  insertUnlessTmpIdTaken(message: NewGroupMessage): Promise<number | null> {
    return this.commits
      ? this.commits.inserts.submit(
          (th) => insertUnlessTaken(th, message),
          { all: insertRows, item: message },
          this.stored,
        )
      : insertUnlessTaken(this.h, message).finally(this.stored);
  }

  findById(id: number): Promise<GroupMessageRow | undefined> {
    return this.h.db.selectFrom('im_group_message').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** The sender's message with this client temp id in the group (idempotent sends). */
  /** Several messages by id (in no particular order); unknown ids are skipped. */
  findByIds(ids: readonly number[]): Promise<GroupMessageRow[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.h.db
      .selectFrom('im_group_message')
      .selectAll()
      .where('id', 'in', [...ids])
      .execute();
  }

  findByTmpId(groupId: number, sendId: number, tmpId: string): Promise<GroupMessageRow | undefined> {
    return this.h.db
      .selectFrom('im_group_message')
      .selectAll()
      .where('send_id', '=', sendId)
      .where('tmp_id', '=', tmpId)
      .where('group_id', '=', groupId)
      .orderBy('id')
      .limit(1)
      .executeTakeFirst();
  }

  /** Highest message id of the group, 0 when it has none. */
  async maxId(groupId: number): Promise<number> {
    const row = await this.h.db
      .selectFrom('im_group_message')
      .select((eb) => eb.fn.max('id').as('max'))
      .where('group_id', '=', groupId)
      .executeTakeFirst();
    return Number(row?.max ?? 0);
  }

  /** Set a message's status from `from` to `to`; false if it was not in `from`. */
  async changeStatus(id: number, from: number, to: number): Promise<boolean> {
    const changed = await updatedRows(
      this.h.db
        .updateTable('im_group_message')
        .set({ status: to })
        .where('id', '=', id)
        .where('status', '=', from),
    );
    return changed > 0;
  }

  async markReceiptOk(ids: readonly number[]): Promise<void> {
    if (ids.length === 0) return;
    await this.h.db
      .updateTable('im_group_message')
      .set({ receipt_ok: 1 })
      .where('id', 'in', [...ids])
      .execute();
  }

  /** Receipt messages of the group with `after < id <= upTo`, not recalled, oldest first. */
  receiptsBetween(groupId: number, after: number, upTo: number, limit: number): Promise<GroupMessageRow[]> {
    return this.h.db
      .selectFrom('im_group_message')
      .selectAll()
      .where('group_id', '=', groupId)
      .where('id', '>', after)
      .where('id', '<=', upTo)
      .where('receipt', '=', 1)
      .where('status', '<>', RECALL_STATUS)
      .orderBy('id')
      .limit(limit)
      .execute();
  }

  /**
   * Messages the user may see in every group they are in or left since `window.quitSince`,
   * with `id > after` and sent since `window.since`. A member sees the messages after
   * joining (by id; box-im rows without a join id fall back to the join time) and, once
   * left, those up to the leaving point (by id, else by time).
   */
  private visibleTo(userId: number, after: number, window: OfflineWindow) {
    return this.h.db
      .selectFrom('im_group_message as g')
      .innerJoin('im_group_member as m', (join) =>
        join.onRef('m.group_id', '=', 'g.group_id').on('m.user_id', '=', userId),
      )
      .where('g.id', '>', after)
      .where('g.send_time', '>=', window.since)
      .where(addressedTo('g.recv_ids', userId))
      .whereRef('g.id', '>', 'm.join_message_id')
      .where((eb) =>
        eb.or([eb('m.join_message_id', '>', 0), eb('g.send_time', '>=', eb.ref('m.created_time'))]),
      )
      .where((eb) =>
        eb.or([
          eb('m.quit', '=', 0),
          eb.and([
            eb('m.quit_time', '>=', window.quitSince),
            eb.or([
              eb('g.id', '<=', eb.ref('m.quit_message_id')),
              eb.and([eb('m.quit_message_id', 'is', null), eb('g.send_time', '<=', eb.ref('m.quit_time'))]),
            ]),
          ]),
        ]),
      );
  }

  /** The next page of visible messages after `after`, oldest first (see `visibleTo`). */
  offlinePage(
    userId: number,
    after: number,
    window: OfflineWindow,
    limit: number,
  ): Promise<GroupMessageRow[]> {
    return this.visibleTo(userId, after, window).selectAll('g').orderBy('g.id').limit(limit).execute();
  }

  /**
   * Where an offline pull after `minId` starts when it returns at most `max` messages: the
   * id just below the newest `max` visible ones, or `minId` when there are fewer.
   */
  async offlineStart(userId: number, minId: number, window: OfflineWindow, max: number): Promise<number> {
    const row = await this.visibleTo(userId, minId, window)
      .select('g.id')
      .orderBy('g.id', 'desc')
      .offset(max)
      .limit(1)
      .executeTakeFirst();
    return row ? Number(row.id) : minId;
  }

  /**
   * A page of the group's history within the member's bounds, addressed to them, recalled
   * messages left out, newest first.
   */
  history(
    groupId: number,
    userId: number,
    bounds: HistoryBounds,
    offset: number,
    limit: number,
  ): Promise<GroupMessageRow[]> {
    let query = this.h.db
      .selectFrom('im_group_message')
      .selectAll()
      .where('group_id', '=', groupId)
      .where('id', '>', bounds.after)
      .where('status', '<>', RECALL_STATUS)
      .where(addressedTo('recv_ids', userId));
    if (bounds.upTo !== null) query = query.where('id', '<=', bounds.upTo);
    if (bounds.since !== null) query = query.where('send_time', '>=', bounds.since);
    if (bounds.until !== null) query = query.where('send_time', '<=', bounds.until);
    return query.orderBy('id', 'desc').offset(offset).limit(limit).execute();
  }
}

/** The inserts of a group-commit batch in one statement (see `insertMessagesReturningIds`). */
const insertRows = (h: DialectHandle, rows: readonly NewGroupMessage[]) =>
  insertMessagesReturningIds(h, 'im_group_message', rows);

/**
 * One INSERT; null when (send_id, tmp_id) is taken. PostgreSQL skips the conflicting row
 * (`ON CONFLICT DO NOTHING`) instead of failing, because a failed statement there aborts the
 * whole transaction (a batch of the group commit); SQLite and MariaDB undo only the statement.
 */
async function insertUnlessTaken(h: DialectHandle, message: NewGroupMessage): Promise<number | null> {
  if (h.name === 'postgres') {
    const inserted = await h.db
      .insertInto('im_group_message')
      .values(message)
      .onConflict((oc) => oc.columns(['send_id', 'tmp_id']).doNothing())
      .returning('id')
      .executeTakeFirst();
    return inserted ? Number(inserted.id) : null;
  }
  try {
    return await insertReturningId(h, h.db.insertInto('im_group_message').values(message));
  } catch (error) {
    if (message.tmp_id !== null && h.isUniqueViolation(error)) return null;
    throw error;
  }
}
