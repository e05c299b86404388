/**
 * The database contract: the same migrations and repository queries behave the same on
 * SQLite, MariaDB/MySQL and PostgreSQL (ids as JS numbers, datetimes as Dates, unique
 * violations recognised, LIKE wildcards escaped, migrations idempotent).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest, openDatabase, type DialectHandle } from '../../src/db';
import { UserRepository } from '../../src/repositories/user.repository';
import { SensitiveWordRepository } from '../../src/repositories/sensitive-word.repository';
import { createTestDatabase, DB_IMPLEMENTATIONS, type TestDatabase } from '@box-im/im-platform/testing';

describe.each(DB_IMPLEMENTATIONS)('repository contract on $label', ({ engine, options }) => {
  let tdb: TestDatabase;
  let h: DialectHandle;
  let users: UserRepository;
  beforeAll(async () => {
    tdb = await createTestDatabase(engine);
    h = openDatabase(tdb.url, 10, undefined, options);
    await migrateToLatest(h.db as never, h.name);
    users = new UserRepository(h);
  });
  afterAll(async () => {
    await h.db.destroy();
    await tdb.drop();
  });

  it('runs migrations once: a second run applies nothing', async () => {
    expect(await migrateToLatest(h.db as never, h.name)).toEqual([]);
    const tables = (await h.db.introspection.getTables()).map((t) => t.name);
    expect(tables).toEqual(
      expect.arrayContaining([
        'im_user',
        'im_friend',
        'im_private_message',
        'im_group',
        'im_group_member',
        'im_group_message',
        'im_sensitive_word',
        'im_file_info',
        'im_file_anonymous',
      ]),
    );
  });

  it('returns ids as numbers and datetimes as Dates, with the defaults of box-im', async () => {
    const created = new Date('2026-01-02T03:04:05.000Z');
    const id = await users.insert({
      user_name: 'contract1',
      nick_name: '昵称😀',
      password: 'x',
      created_time: created,
    });
    expect(typeof id).toBe('number');
    const row = (await users.findById(id!))!;
    expect(row).toMatchObject({
      id,
      user_name: 'contract1',
      nick_name: '昵称😀',
      head_image: '',
      sex: 0,
      is_banned: 0,
      type: 1,
      signature: '',
      last_login_time: null,
    });
    expect(row.created_time).toBeInstanceOf(Date);
    expect(row.created_time.getTime()).toBe(created.getTime());
    await users.touchLogin(id!, new Date('2026-03-04T05:06:07.000Z'));
    expect((await users.findById(id!))!.last_login_time!.getTime()).toBe(
      Date.parse('2026-03-04T05:06:07.000Z'),
    );
  });

  it('reports a duplicate user name as a unique violation (insert → null)', async () => {
    expect(
      await users.insert({ user_name: 'dupe', nick_name: 'a', password: 'x', created_time: new Date() }),
    ).not.toBeNull();
    expect(
      await users.insert({ user_name: 'dupe', nick_name: 'b', password: 'x', created_time: new Date() }),
    ).toBeNull();
  });

  it('treats user names case-insensitively, as box-im on MySQL does', async () => {
    expect(
      await users.insert({ user_name: 'CaseUser', nick_name: 'a', password: 'x', created_time: new Date() }),
    ).not.toBeNull();
    expect(
      await users.insert({ user_name: 'caseuser', nick_name: 'b', password: 'x', created_time: new Date() }),
    ).toBeNull();
    expect((await users.findByUserName('CASEUSER'))?.user_name).toBe('CaseUser');
  });

  it('searches names with LIKE wildcards taken literally', async () => {
    for (const name of ['pct%name', 'under_score', 'underXscore', 'plain']) {
      await users.insert({ user_name: name, nick_name: name, password: 'x', created_time: new Date() });
    }
    expect((await users.search('%', 20)).map((u) => u.user_name)).toEqual(['pct%name']);
    expect((await users.search('under_', 20)).map((u) => u.user_name)).toEqual(['under_score']);
    expect((await users.search('plain', 20)).map((u) => u.user_name)).toEqual(['plain']);
    expect((await users.search('PLAIN', 20)).map((u) => u.user_name)).toEqual(['plain']);
    expect(await users.search('nothing-like-this', 20)).toEqual([]);
  });

  it('reads enabled sensitive words only', async () => {
    const words = new SensitiveWordRepository(h);
    await words.add('敏感', true);
    await words.add('关闭', false);
    expect(await words.enabledWords()).toEqual(['敏感']);
  });
});
