import type { Kysely } from 'kysely';
import type { DialectName } from '../dialects/dialect';
import { createIndex } from './util';

/**
 * The file-expiry pass reads `is_permanent = 0 AND upload_time <= cutoff` daily; box-im has
 * only `idx_md5`. One composite index keeps that a range scan on large tables.
 */
export function filesMigration(dialect: DialectName) {
  const name = dialect === 'mysql' ? 'idx_permanent_upload_time' : 'im_file_info_idx_permanent_upload_time';
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await createIndex(db, dialect, 'im_file_info', name, ['is_permanent', 'upload_time']);
    },
    async down(): Promise<void> {
      // Indexes are harmless to keep.
    },
  };
}
