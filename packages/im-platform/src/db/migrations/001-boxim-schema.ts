import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../dialects/dialect';
import { createIndex, tableOptions, types, withId } from './util';

/**
 * box-im's schema as its `db/im-platform.sql` creates it: same tables, columns, defaults
 * and indexes. Every statement is "if not exists", so an existing box-im database is
 * adopted as it is.
 */
export function boximSchema(dialect: DialectName) {
  const t = types(dialect);
  const now = sql`CURRENT_TIMESTAMP`;
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await tableOptions(
        dialect,
        withId(dialect, db.schema.createTable('im_user').ifNotExists())
          .addColumn('user_name', 'varchar(255)', (c) => c.notNull())
          .addColumn('nick_name', 'varchar(255)', (c) => c.notNull())
          .addColumn('head_image', 'varchar(255)', (c) => c.defaultTo(''))
          .addColumn('head_image_thumb', 'varchar(255)', (c) => c.defaultTo(''))
          .addColumn('password', 'varchar(255)', (c) => c.notNull())
          .addColumn('sex', t.tinyint, (c) => c.defaultTo(0))
          .addColumn('is_banned', t.flag, (c) => c.defaultTo(0))
          .addColumn('reason', 'varchar(255)', (c) => c.defaultTo(''))
          .addColumn('type', t.smallint, (c) => c.defaultTo(1))
          .addColumn('signature', 'varchar(1024)', (c) => c.defaultTo(''))
          .addColumn('last_login_time', t.datetime)
          .addColumn('created_time', t.datetime, (c) => c.defaultTo(now)),
      ).execute();
      await createIndex(db, dialect, 'im_user', 'idx_user_name', ['user_name'], { unique: true });
      await createIndex(db, dialect, 'im_user', 'idx_nick_name', ['nick_name']);

      await tableOptions(
        dialect,
        withId(dialect, db.schema.createTable('im_friend').ifNotExists())
          .addColumn('user_id', t.bigint, (c) => c.notNull())
          .addColumn('friend_id', t.bigint, (c) => c.notNull())
          .addColumn('friend_nick_name', 'varchar(255)', (c) => c.notNull())
          .addColumn('friend_head_image', 'varchar(255)', (c) => c.defaultTo(''))
          .addColumn('is_dnd', t.tinyint)
          .addColumn('deleted', t.tinyint)
          .addColumn('created_time', t.datetime, (c) => c.defaultTo(now)),
      ).execute();
      await createIndex(db, dialect, 'im_friend', 'idx_user_id', ['user_id']);
      await createIndex(db, dialect, 'im_friend', 'idx_friend_id', ['friend_id']);

      await tableOptions(
        dialect,
        withId(dialect, db.schema.createTable('im_private_message').ifNotExists())
          .addColumn('tmp_id', 'varchar(32)')
          .addColumn('send_id', t.bigint, (c) => c.notNull())
          .addColumn('recv_id', t.bigint, (c) => c.notNull())
          .addColumn('content', 'text')
          .addColumn('type', t.tinyint, (c) => c.notNull())
          .addColumn('status', t.tinyint, (c) => c.notNull())
          .addColumn('send_time', t.datetime, (c) => c.defaultTo(now)),
      ).execute();
      await createIndex(db, dialect, 'im_private_message', 'idx_send_id', ['send_id']);
      await createIndex(db, dialect, 'im_private_message', 'idx_recv_id', ['recv_id']);

      await tableOptions(
        dialect,
        withId(dialect, db.schema.createTable('im_group').ifNotExists())
          .addColumn('name', 'varchar(255)', (c) => c.notNull())
          .addColumn('owner_id', t.bigint, (c) => c.notNull())
          .addColumn('head_image', 'varchar(255)', (c) => c.defaultTo(''))
          .addColumn('head_image_thumb', 'varchar(255)', (c) => c.defaultTo(''))
          .addColumn('notice', 'varchar(1024)', (c) => c.defaultTo(''))
          .addColumn('is_banned', t.flag, (c) => c.defaultTo(0))
          .addColumn('reason', 'varchar(255)', (c) => c.defaultTo(''))
          .addColumn('dissolve', t.flag, (c) => c.defaultTo(0))
          .addColumn('created_time', t.datetime, (c) => c.defaultTo(now)),
      ).execute();

      await tableOptions(
        dialect,
        withId(dialect, db.schema.createTable('im_group_member').ifNotExists())
          .addColumn('group_id', t.bigint, (c) => c.notNull())
          .addColumn('user_id', t.bigint, (c) => c.notNull())
          .addColumn('user_nick_name', 'varchar(255)', (c) => c.defaultTo(''))
          .addColumn('remark_nick_name', 'varchar(255)', (c) => c.defaultTo(''))
          .addColumn('head_image', 'varchar(255)', (c) => c.defaultTo(''))
          .addColumn('remark_group_name', 'varchar(255)', (c) => c.defaultTo(''))
          .addColumn('is_dnd', t.flag)
          .addColumn('quit', t.flag, (c) => c.defaultTo(0))
          .addColumn('quit_time', t.datetime)
          .addColumn('created_time', t.datetime, (c) => c.defaultTo(now)),
      ).execute();
      // Index names are per table on MySQL but global on SQLite/PostgreSQL: box-im reuses
      // `idx_user_id` / `idx_group_id`, so the other engines get a table-qualified name.
      const q = (name: string, table: string) => (dialect === 'mysql' ? name : `${table}_${name}`);
      await createIndex(db, dialect, 'im_group_member', q('idx_group_id', 'im_group_member'), ['group_id']);
      await createIndex(db, dialect, 'im_group_member', q('idx_user_id', 'im_group_member'), ['user_id']);

      await tableOptions(
        dialect,
        withId(dialect, db.schema.createTable('im_group_message').ifNotExists())
          .addColumn('tmp_id', 'varchar(32)')
          .addColumn('group_id', t.bigint, (c) => c.notNull())
          .addColumn('send_id', t.bigint, (c) => c.notNull())
          .addColumn('send_nick_name', 'varchar(255)', (c) => c.defaultTo(''))
          .addColumn('recv_ids', 'varchar(1024)', (c) => c.defaultTo(''))
          .addColumn('content', 'text')
          .addColumn('at_user_ids', 'varchar(1024)')
          .addColumn('receipt', t.flag, (c) => c.defaultTo(0))
          .addColumn('receipt_ok', t.flag, (c) => c.defaultTo(0))
          .addColumn('type', t.tinyint, (c) => c.notNull())
          .addColumn('status', t.tinyint, (c) => c.defaultTo(0))
          .addColumn('send_time', t.datetime, (c) => c.defaultTo(now)),
      ).execute();
      await createIndex(db, dialect, 'im_group_message', q('idx_group_id', 'im_group_message'), ['group_id']);

      await tableOptions(
        dialect,
        withId(dialect, db.schema.createTable('im_sensitive_word').ifNotExists())
          .addColumn('content', 'varchar(64)', (c) => c.notNull())
          .addColumn('enabled', t.flag, (c) => c.defaultTo(0))
          .addColumn('creator', t.bigint)
          .addColumn('create_time', t.datetime, (c) => c.defaultTo(now)),
      ).execute();

      await tableOptions(
        dialect,
        withId(dialect, db.schema.createTable('im_file_info').ifNotExists())
          .addColumn('file_name', 'varchar(255)', (c) => c.notNull())
          .addColumn('file_path', 'varchar(255)', (c) => c.notNull())
          .addColumn('file_size', 'integer', (c) => c.notNull())
          .addColumn('file_type', t.tinyint, (c) => c.notNull())
          .addColumn('compressed_path', 'varchar(255)')
          .addColumn('cover_path', 'varchar(255)')
          .addColumn('upload_time', t.datetime, (c) => c.defaultTo(now))
          .addColumn('is_permanent', t.flag, (c) => c.defaultTo(0))
          .addColumn('md5', 'varchar(64)', (c) => c.notNull()),
      ).execute();
      await createIndex(db, dialect, 'im_file_info', 'idx_md5', ['md5']);
    },
    async down(): Promise<void> {
      // Never drop user data: a rollback of the base schema is done by hand.
    },
  };
}
