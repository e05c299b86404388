/**
 * Migration 002 on a database box-im already filled: duplicate friend rows and duplicate
 * (sender, tmpId) pairs must not stop it, and no message may be lost.
 */
import { Migrator, type Kysely, type Migration } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type DialectHandle } from '../../src/db';
import { migrateToLatest } from '../../src/db/migrate';
import { boximSchema } from '../../src/db/migrations/001-boxim-schema';
import { createTestDatabase, ENGINES, type TestDatabase } from '@box-im/im-platform/testing';

describe.each(ENGINES)('migration 002-friends-private on a box-im database (%s)', (engine) => {
  let test: TestDatabase | undefined;
  let handle: DialectHandle | undefined;
  afterEach(async () => {
    await handle?.db.destroy();
    await test?.drop();
  });

  it('removes duplicate friend rows (keeping the live one), clears duplicate tmpIds, then enforces both', async () => {
    test = await createTestDatabase(engine);
    handle = openDatabase(test.url, 2);
    const db = handle.db;
    const only001: Record<string, Migration> = { '001-boxim-schema': boximSchema(handle.name) };
    const first = await new Migrator({
      db,
      provider: { getMigrations: () => Promise.resolve(only001) },
    }).migrateToLatest();
    expect(first.error).toBeUndefined();

    const now = new Date();
    const friend = (deleted: number, nick: string) => ({
      user_id: 1,
      friend_id: 2,
      friend_nick_name: nick,
      deleted,
      created_time: now,
    });
    await db
      .insertInto('im_friend')
      .values([friend(1, 'old'), friend(0, 'live'), friend(1, 'newest deleted')])
      .execute();
    await db
      .insertInto('im_friend')
      .values({ user_id: 2, friend_id: 1, friend_nick_name: 'single', deleted: 0, created_time: now })
      .execute();
    const message = (tmp: string | null, content: string) => ({
      tmp_id: tmp,
      send_id: 1,
      recv_id: 2,
      content,
      type: 0,
      status: 0,
      send_time: now,
    });
    await db
      .insertInto('im_private_message')
      .values([
        message('t1', 'a'),
        message('t1', 'b (a retry)'),
        message('t2', 'c'),
        message(null, 'd'),
        message(null, 'e'),
      ])
      .execute();

    const applied = await migrateToLatest(db as unknown as Kysely<unknown>, handle.name);
    expect(applied).toContain('002-friends-private');

    const friends = await db.selectFrom('im_friend').selectAll().orderBy('id').execute();
    expect(friends.map((f) => f.friend_nick_name)).toEqual(['live', 'single']);
    const messages = await db
      .selectFrom('im_private_message')
      .select(['tmp_id', 'content'])
      .orderBy('id')
      .execute();
    expect(messages).toEqual([
      { tmp_id: 't1', content: 'a' },
      { tmp_id: null, content: 'b (a retry)' },
      { tmp_id: 't2', content: 'c' },
      { tmp_id: null, content: 'd' },
      { tmp_id: null, content: 'e' },
    ]);
    await expect(db.insertInto('im_friend').values(friend(0, 'again')).execute()).rejects.toSatisfy((e) =>
      handle!.isUniqueViolation(e),
    );
    await expect(db.insertInto('im_private_message').values(message('t2', 'x')).execute()).rejects.toSatisfy(
      (e) => handle!.isUniqueViolation(e),
    );
  });
});
