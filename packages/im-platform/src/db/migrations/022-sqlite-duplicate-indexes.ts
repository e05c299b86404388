import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../dialects/dialect';

/**
 * SQLite: drop `im_private_message`'s `idx_send_id` and `idx_recv_id` (box-im's, migration
 * 001). A SQLite index entry ends with the row's rowid, and `id` is the rowid, so
 * `idx_send_id (send_id)` holds exactly what `idx_send_id_id (send_id, id)` of migration 002
 * holds, in the same order (likewise `recv_id`): every lookup they served is served the same
 * way by the other. Each message insert wrote both copies: 2 of the table's 8 b-trees, about
 * a fifth of the insert and its commit. MySQL keeps them (box-im's own schema, read by its
 * Java components), PostgreSQL too (its indexes do not end with the key).
 */
export function sqliteDuplicateIndexesMigration(dialect: DialectName) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      if (dialect !== 'sqlite') return;
      for (const name of ['idx_send_id', 'idx_recv_id'])
        await sql.raw(`drop index if exists ${name}`).execute(db);
    },
    async down(db: Kysely<unknown>): Promise<void> {
      if (dialect !== 'sqlite') return;
      await sql.raw('create index if not exists idx_send_id on im_private_message (send_id)').execute(db);
      await sql.raw('create index if not exists idx_recv_id on im_private_message (recv_id)').execute(db);
    },
  };
}
