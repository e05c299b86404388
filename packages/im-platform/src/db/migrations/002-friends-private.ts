import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../dialects/dialect';
import { createIndex, dedupeTmpIds } from './util';

/**
 * Friends and private messages:
 * - `im_friend (user_id, friend_id)` becomes unique (box-im relied on a Redis lock);
 * - `im_private_message (send_id, tmp_id)` becomes unique, which makes sending idempotent
 *   (a client retry with the same tmpId finds the stored message). NULL tmp_ids (server
 *   notices) never collide on any engine;
 * - composite indexes for the offline pull (by id per direction), conversations and the
 *   "still pending" lookup.
 *
 * An adopted box-im database may hold duplicates of either pair: the extra friend rows are
 * removed (the live one, else the newest, is kept) and extra tmp_ids are cleared, so no
 * message is ever deleted.
 */
export function friendsPrivate(dialect: DialectName) {
  // Index names are global on SQLite/PostgreSQL, per table on MySQL.
  const name = (table: string, index: string) => (dialect === 'mysql' ? index : `${table}_${index}`);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await dedupeFriends(db);
      await dedupeTmpIds(db, 'im_private_message');
      await createIndex(
        db,
        dialect,
        'im_friend',
        name('im_friend', 'uk_user_friend'),
        ['user_id', 'friend_id'],
        {
          unique: true,
        },
      );
      const pm = 'im_private_message';
      await createIndex(db, dialect, pm, name(pm, 'uk_send_tmp'), ['send_id', 'tmp_id'], { unique: true });
      await createIndex(db, dialect, pm, name(pm, 'idx_send_id_id'), ['send_id', 'id']);
      await createIndex(db, dialect, pm, name(pm, 'idx_recv_id_id'), ['recv_id', 'id']);
      await createIndex(db, dialect, pm, name(pm, 'idx_send_recv_id'), ['send_id', 'recv_id', 'id']);
      await createIndex(db, dialect, pm, name(pm, 'idx_recv_status_id'), ['recv_id', 'status', 'id']);
    },
    async down(): Promise<void> {
      // Indexes only; dropping them by hand is safe.
    },
  };
}

async function dedupeFriends(db: Kysely<unknown>): Promise<void> {
  const dups = await sql<{ user_id: number; friend_id: number }>`
    select user_id, friend_id from im_friend group by user_id, friend_id having count(*) > 1`.execute(db);
  for (const { user_id, friend_id } of dups.rows) {
    const rows = await sql<{ id: number; deleted: number | null }>`
      select id, deleted from im_friend where user_id = ${user_id} and friend_id = ${friend_id}
      order by id desc`.execute(db);
    const keep = rows.rows.find((r) => !Number(r.deleted)) ?? rows.rows[0];
    const drop = rows.rows.filter((r) => r !== keep).map((r) => r.id);
    if (drop.length > 0) await sql`delete from im_friend where id in (${sql.join(drop)})`.execute(db);
  }
}
