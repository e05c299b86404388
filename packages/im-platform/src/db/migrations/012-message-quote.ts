import type { Kysely } from 'kysely';
import type { DialectName } from '../dialects/dialect';
import { columnExists, types } from './util';

/**
 * Replies: `quote_message_id` on `im_private_message` and `im_group_message` holds the id of
 * the message a reply quotes (same table; NULL for every other message and for rows box-im
 * writes). The quote itself is read from the original at read time, so a recall of the
 * original shows in every reply's history.
 */
export function messageQuoteMigration(dialect: DialectName) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      for (const table of ['im_private_message', 'im_group_message']) {
        if (!(await columnExists(db, table, 'quote_message_id'))) {
          await db.schema.alterTable(table).addColumn('quote_message_id', types(dialect).bigint).execute();
        }
      }
    },
    async down(): Promise<void> {
      // Kept: dropping the column would turn stored replies into plain messages.
    },
  };
}
