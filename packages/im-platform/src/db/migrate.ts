import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { DialectName } from './dialects/dialect';
import { boximSchema } from './migrations/001-boxim-schema';
import { friendsPrivate } from './migrations/002-friends-private';
import { groupsMigration } from './migrations/003-groups';
import { filesMigration } from './migrations/004-files';
import { userNameCaseMigration } from './migrations/005-user-name-case';
import { fileUploaderMigration } from './migrations/006-file-uploader';
import { memberQuitViewMigration } from './migrations/011-member-quit-view';
import { messageQuoteMigration } from './migrations/012-message-quote';
import { messageSearchMigration } from './migrations/013-message-search';
import { friendRequestsMigration } from './migrations/015-friend-requests';
import { groupInvitesMigration } from './migrations/016-group-invites';
import { groupAdminsMuteMigration } from './migrations/017-group-admins-mute';
import { adminRoleMigration } from './migrations/018-admin-role';
import { adminAuditMigration } from './migrations/019-admin-audit';
import { chatPrefsMigration } from './migrations/020-chat-prefs';
import { messageSearchBatchedMigration } from './migrations/021-message-search-batched';
import { sqliteDuplicateIndexesMigration } from './migrations/022-sqlite-duplicate-indexes';

/**
 * Migrations in order. Each is a function of the dialect because column types differ;
 * names are stable forever once released.
 */
function migrations(dialect: DialectName): Record<string, Migration> {
  return {
    '001-boxim-schema': boximSchema(dialect),
    '002-friends-private': friendsPrivate(dialect),
    '003-groups': groupsMigration(dialect),
    '004-files': filesMigration(dialect),
    '005-user-name-case': userNameCaseMigration(dialect),
    '006-file-uploader': fileUploaderMigration(dialect),
    '011-member-quit-view': memberQuitViewMigration(dialect),
    '012-message-quote': messageQuoteMigration(dialect),
    '013-message-search': messageSearchMigration(dialect),
    '015-friend-requests': friendRequestsMigration(dialect),
    '016-group-invites': groupInvitesMigration(dialect),
    '017-group-admins-mute': groupAdminsMuteMigration(dialect),
    '018-admin-role': adminRoleMigration(dialect),
    '019-admin-audit': adminAuditMigration(dialect),
    '020-chat-prefs': chatPrefsMigration(dialect),
    '021-message-search-batched': messageSearchBatchedMigration(dialect),
    '022-sqlite-duplicate-indexes': sqliteDuplicateIndexesMigration(dialect),
  };
}

class StaticProvider implements MigrationProvider {
  constructor(private readonly dialect: DialectName) {}
  getMigrations(): Promise<Record<string, Migration>> {
    return Promise.resolve(migrations(this.dialect));
  }
}

/**
 * Bring the schema up to date. Kysely's migrator takes a lock table, so several platform
 * processes booting at once run each migration exactly once.
 */
export async function migrateToLatest(db: Kysely<unknown>, dialect: DialectName): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new StaticProvider(dialect) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(
      `database migration ${failed} failed: ${error instanceof Error ? error.message : JSON.stringify(error)}`,
      {
        cause: error,
      },
    );
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
