/**
 * Prepared queries on every engine: compiled once, run with new parameters, they give the same
 * rows and effects as the same queries built by kysely each time (dates, ids, constants bound
 * as compiled), inside a transaction too; the message repository's prepared statements
 * (insert, delivered, friendship, user by id) keep their behaviour.
 */
import { MessageStatus } from '@box-im/im-common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest, openDatabase, type DialectHandle } from '../../src/db';
import { PreparedQuery, PreparedShapes, slot } from '../../src/db/prepared';
import { FriendRepository } from '../../src/repositories/friend.repository';
import { PrivateMessageRepository } from '../../src/repositories/private-message.repository';
import { UserRepository } from '../../src/repositories/user.repository';
import { createTestDatabase, DB_IMPLEMENTATIONS, type TestDatabase } from '@box-im/im-platform/testing';

describe.each(DB_IMPLEMENTATIONS)('prepared queries on $label', ({ engine, options }) => {
  let tdb: TestDatabase;
  let h: DialectHandle;
  let users: UserRepository;
  let messages: PrivateMessageRepository;
  const at = new Date('2026-03-04T05:06:07.000Z');

  beforeAll(async () => {
    tdb = await createTestDatabase(engine);
    h = openDatabase(tdb.url, 10, undefined, options);
    await migrateToLatest(h.db as never, h.name);
    users = new UserRepository(h);
    messages = new PrivateMessageRepository(h);
  });
  afterAll(async () => {
    await h.db.destroy();
    await tdb.drop();
  });

  const built = (id: number) =>
    h.db.selectFrom('im_private_message').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  it('finds users by id as the built query does, for each id it is given', async () => {
    const ids: number[] = [];
    for (const name of ['prep_a', 'prep_b']) {
      ids.push((await users.insert({ user_name: name, nick_name: name, password: 'x', created_time: at }))!);
    }
    for (const id of ids) {
      const expected = await h.db.selectFrom('im_user').selectAll().where('id', '=', id).executeTakeFirst();
      const row = await users.findById(id);
      expect(row).toEqual(expected);
      expect(row!.created_time).toEqual(at);
    }
    expect(await users.findById(ids[1]! + 1000)).toBeUndefined();
  });

  it('inserts messages with their dates and ids, null on a retried tmpId', async () => {
    const row = (tmpId: string | null, quote: number | null | undefined) => ({
      tmp_id: tmpId,
      send_id: 7,
      recv_id: 8,
      content: `hello ${tmpId ?? 'none'} 你好`,
      type: 0,
      status: MessageStatus.PENDING,
      send_time: at,
      quote_message_id: quote,
    });
    const first = (await messages.insert(row('p1', undefined)))!;
    const second = (await messages.insert(row(null, first)))!;
    const third = (await messages.insert(row(null, null)))!;
    expect(second).toBeGreaterThan(first);
    expect(third).toBeGreaterThan(second);
    expect(await built(first)).toEqual({ id: first, ...row('p1', null) });
    expect(await built(second)).toEqual({ id: second, ...row(null, first) });
    expect(await messages.insert(row('p1', null))).toBeNull();
    const count = await h.db
      .selectFrom('im_private_message')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('send_id', '=', 7)
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(3);
  });

  it('marks delivered only the pending rows of the ids given, for lists of every length', async () => {
    const insertMany = async (n: number, status: number) => {
      const ids: number[] = [];
      for (let i = 0; i < n; i++) {
        ids.push(
          (await messages.insert({
            tmp_id: null,
            send_id: 9,
            recv_id: 10,
            content: `d${i}`,
            type: 0,
            status,
            send_time: at,
          }))!,
        );
      }
      return ids;
    };
    // 40 ids: past the 32 prepared shapes, built as before.
    for (const n of [1, 3, 1, 40]) {
      const pending = await insertMany(n, MessageStatus.PENDING);
      const [read] = await insertMany(1, MessageStatus.READED);
      const [untouched] = await insertMany(1, MessageStatus.PENDING);
      await messages.markDelivered([...pending, read!]);
      for (const id of pending) expect((await built(id)).status).toBe(MessageStatus.DELIVERED);
      expect((await built(read!)).status).toBe(MessageStatus.READED);
      expect((await built(untouched!)).status).toBe(MessageStatus.PENDING);
    }
  });

  it('answers friendship from live rows only', async () => {
    const friends = new FriendRepository(h);
    const [a, b, c] = [101, 102, 103];
    await friends.bind(a, b, { nickName: 'b', headImage: '' }, at);
    await friends.bind(a, c, { nickName: 'c', headImage: '' }, at);
    await friends.unbindBoth(a, c);
    expect(await friends.isFriend(a, b)).toBe(true);
    expect(await friends.isFriend(b, a)).toBe(false);
    expect(await friends.isFriend(a, c)).toBe(false);
  });

  it('binds named values in order, keeps constants, converts Date arguments, runs in a transaction', async () => {
    const query = new PreparedQuery<{ send: number; since: Date }, { id: number }>((db) =>
      db
        .selectFrom('im_private_message')
        .select('id')
        .where('send_id', '=', slot<number>('send'))
        .where('status', '=', MessageStatus.PENDING)
        .where('send_time', '>=', slot<Date>('since'))
        .orderBy('id'),
    );
    const expected = await h.db
      .selectFrom('im_private_message')
      .select('id')
      .where('send_id', '=', 7)
      .where('status', '=', MessageStatus.PENDING)
      .where('send_time', '>=', at)
      .orderBy('id')
      .execute();
    expect(expected.length).toBe(3);
    expect((await query.execute(h, { send: 7, since: at })).rows).toEqual(expected);
    expect((await query.execute(h, { send: 7, since: new Date(at.getTime() + 1000) })).rows).toEqual([]);
    const inTransaction = await h.db
      .transaction()
      .execute(async (trx) => (await query.execute({ ...h, db: trx }, { send: 7, since: at })).rows);
    expect(inTransaction).toEqual(expected);
    await expect(query.execute(h, { send: 7 } as never)).rejects.toThrow(/no value for since/);
  });

  it('keeps one prepared shape per key up to its bound', () => {
    const shapes = new PreparedShapes<number, Record<string, number>, never>(
      (db, n) => db.selectFrom('im_user').select('id').limit(n),
      2,
    );
    expect(shapes.get(1)).toBe(shapes.get(1));
    expect(shapes.get(2)).toBeDefined();
    expect(shapes.get(3)).toBeUndefined();
  });
});
