/**
 * Group commit on every engine: the message writes submitted in one tick share one
 * transaction and come back in submission order once committed; a retried tmpId inside a
 * batch is answered null without failing the others (PostgreSQL aborts a transaction on a
 * failed statement); a write that throws fails alone, the others of its batch are stored.
 */
import { MessageStatus } from '@box-im/im-common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest, openDatabase, type DialectHandle } from '../../src/db';
import { commitLanes, GroupCommit } from '../../src/db/group-commit';
import { GroupMessageRepository } from '../../src/repositories/group-message.repository';
import { PrivateMessageRepository } from '../../src/repositories/private-message.repository';
import { createTestDatabase, DB_IMPLEMENTATIONS, type TestDatabase } from '@box-im/im-platform/testing';

describe.each(DB_IMPLEMENTATIONS)('group commit on $label', ({ engine, options }) => {
  let tdb: TestDatabase;
  let h: DialectHandle;
  let commits: GroupCommit;
  let messages: PrivateMessageRepository;
  const row = (sendId: number, tmpId: string | null) => ({
    tmp_id: tmpId,
    send_id: sendId,
    recv_id: sendId + 1,
    content: `m ${tmpId ?? 'none'}`,
    type: 0,
    status: MessageStatus.PENDING,
    send_time: new Date('2026-01-02T03:04:05.000Z'),
  });
  const stored = async (sendId: number) =>
    (
      await h.db.selectFrom('im_private_message').select('tmp_id').where('send_id', '=', sendId).execute()
    ).map((r) => r.tmp_id);

  beforeAll(async () => {
    tdb = await createTestDatabase(engine);
    h = openDatabase(tdb.url, 10, undefined, options);
    await migrateToLatest(h.db as never, h.name);
    commits = new GroupCommit(h);
    // Both lanes on one group commit: an insert and an update of one tick share a transaction.
    messages = new PrivateMessageRepository(h, { inserts: commits, updates: commits });
  });
  afterAll(async () => {
    await h.db.destroy();
    await tdb.drop();
  });

  it('writes the inserts and updates of one tick in one transaction, ids in submission order', async () => {
    const before = { ...commits.stats };
    const ids = await Promise.all(Array.from({ length: 20 }, (_, i) => messages.insert(row(100, `t${i}`))));
    expect(commits.stats.batches - before.batches).toBe(1);
    expect(commits.stats.writes - before.writes).toBe(20);
    const numbers = ids.map((id) => id!);
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    expect(new Set(numbers).size).toBe(20);

    await Promise.all([messages.markDelivered(numbers.slice(0, 10)), messages.insert(row(100, 't20'))]);
    expect(commits.stats.batches - before.batches).toBe(2);
    const delivered = await h.db
      .selectFrom('im_private_message')
      .select('id')
      .where('send_id', '=', 100)
      .where('status', '=', MessageStatus.DELIVERED)
      .execute();
    expect(delivered.map((r) => r.id).sort((a, b) => a - b)).toEqual(numbers.slice(0, 10));
  });

  it('answers a taken tmpId with null inside a batch, the other writes of the batch still stored', async () => {
    const [first, retry, other] = await Promise.all([
      messages.insert(row(200, 'same')),
      messages.insert(row(200, 'same')),
      messages.insert(row(200, 'other')),
    ]);
    expect(first).toBeTypeOf('number');
    expect(retry).toBeNull();
    expect(other).toBeTypeOf('number');
    expect((await stored(200)).sort()).toEqual(['other', 'same']);
  });

  it('fails only the write at fault: the rest of its batch is stored, one transaction each, in order', async () => {
    const before = { ...commits.stats };
    const [a, fault, b] = await Promise.allSettled([
      messages.insert(row(300, 'a')),
      commits.submit(() => Promise.reject(new Error('disk on fire'))),
      messages.insert(row(300, 'b')),
    ]);
    expect(fault).toEqual({ status: 'rejected', reason: new Error('disk on fire') });
    const ids = [a, b].map((r) => (r as PromiseFulfilledResult<number>).value);
    expect(ids[0]).toBeLessThan(ids[1]!);
    // The failed batch counts nothing; then a and b alone (the fault's own transaction failed).
    expect(commits.stats.batches - before.batches).toBe(2);
    expect((await stored(300)).sort()).toEqual(['a', 'b']);
  });

  it("tells a write's `committed` once per committed batch, after the commit, never for a failed write", async () => {
    const told: string[] = [];
    const stored = () => told.push('stored');
    const other = () => told.push('other');
    const insert = (tmp: string, after: () => void) =>
      commits.submit(
        (th) => th.db.insertInto('im_private_message').values(row(400, tmp)).execute(),
        undefined,
        () => {
          after();
          told.push(`rows ${tmp}`);
        },
      );
    // Distinct callbacks each once (the closures differ per write here: three calls).
    await Promise.all([insert('a', stored), insert('b', other), insert('c', stored)]);
    expect(told).toEqual(['stored', 'rows a', 'other', 'rows b', 'stored', 'rows c']);
    // One shared callback for a batch of 10 writes: told once, with every row committed.
    told.length = 0;
    let seen = -1;
    const once = () => {
      told.push('batch');
      void h.db
        .selectFrom('im_private_message')
        .select('id')
        .where('send_id', '=', 400)
        .execute()
        .then((rows) => (seen = rows.length));
    };
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        commits.submit(
          (th) =>
            th.db
              .insertInto('im_private_message')
              .values(row(400, `s${i}`))
              .execute(),
          undefined,
          once,
        ),
      ),
    );
    expect(told).toEqual(['batch']);
    await expect.poll(() => seen).toBe(13);
    // A batch that fails: only the writes stored on their own retry tell.
    told.length = 0;
    const results = await Promise.allSettled([
      commits.submit(
        () => Promise.reject(new Error('no')),
        undefined,
        () => told.push('failed'),
      ),
      commits.submit(
        (th) => th.db.insertInto('im_private_message').values(row(400, 'z')).execute(),
        undefined,
        once,
      ),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled']);
    expect(told).toEqual(['batch']);
  });

  /** Each id names the row it was returned for. */
  const expectIdsOf = async (
    ids: (number | null)[],
    tmpIds: (string | null)[],
    table: 'im_private_message' | 'im_group_message' = 'im_private_message',
  ) => {
    const rows = await h.db
      .selectFrom(table)
      .select(['id', 'tmp_id', 'content'])
      .where(
        'id',
        'in',
        ids.filter((id) => id !== null),
      )
      .execute();
    const byId = new Map(rows.map((r) => [Number(r.id), r]));
    ids.forEach((id, i) => {
      if (id !== null) expect(byId.get(id)?.tmp_id ?? null).toBe(tmpIds[i]);
    });
  };

  /** SQLite in the main thread runs a batch's inserts one prepared row each, directly (cheaper there). */
  const statementsFor = (rows: number) => (h.sqliteConnection ? rows : 1);

  it('inserts the messages of a batch in one statement (SQLite in the main thread: one per row), each id its own row', async () => {
    const before = { ...commits.stats };
    const tmpIds = Array.from({ length: 12 }, (_, i) => (i % 4 === 3 ? null : `m${i}`));
    const ids = await Promise.all(
      tmpIds.map((t, i) => messages.insert({ ...row(500, t), content: `c${i}` })),
    );
    expect(commits.stats.statements - before.statements).toBe(statementsFor(12));
    expect(ids.every((id) => typeof id === 'number')).toBe(true);
    expect(ids).toEqual([...ids].sort((a, b) => a! - b!));
    await expectIdsOf(ids, tmpIds);
    const contents = await h.db
      .selectFrom('im_private_message')
      .select(['id', 'content'])
      .where('send_id', '=', 500)
      .execute();
    for (const r of contents) expect(r.content).toBe(`c${ids.indexOf(Number(r.id))}`);
  });

  it('a batch of any size: prepared statement shapes (up to 64 rows) and built ones above, every column stored', async () => {
    for (const [sendId, count] of [
      [510, 3],
      [520, 64],
      [530, 65],
      [540, 3],
    ] as const) {
      const before = { ...commits.stats };
      const ids = await Promise.all(
        Array.from({ length: count }, (_, i) =>
          messages.insert({
            ...row(sendId, `n${i}`),
            content: `k${i}`,
            send_time: new Date(Date.UTC(2026, 0, 1, 0, 0, i)),
          }),
        ),
      );
      expect(commits.stats.statements - before.statements).toBe(statementsFor(count));
      const rows = await h.db
        .selectFrom('im_private_message')
        .selectAll()
        .where('send_id', '=', sendId)
        .execute();
      expect(rows).toHaveLength(count);
      for (const r of rows) {
        const i = ids.indexOf(Number(r.id));
        expect([r.tmp_id, r.recv_id, r.content, r.send_time.getTime()]).toEqual([
          `n${i}`,
          sendId + 1,
          `k${i}`,
          Date.UTC(2026, 0, 1, 0, 0, i),
        ]);
      }
    }
  });

  it('answers a retried tmpId with null in a multi-row batch (taken before, or earlier in the batch), the others stored with their ids', async () => {
    const earlier = await messages.insert(row(600, 'old'));
    const tmpIds = ['a', 'old', 'b', 'a', null, 'c'];
    const ids = await Promise.all(tmpIds.map((t) => messages.insert(row(600, t))));
    expect(ids.map((id) => id === null)).toEqual([false, true, false, true, false, false]);
    expect(ids[0]).toBeGreaterThan(earlier!);
    await expectIdsOf(ids, tmpIds);
    expect((await stored(600)).sort()).toEqual(['a', 'b', 'c', null, 'old'].sort());
  });

  it('group messages: one statement per batch too, ids mapped back', async () => {
    const groups = new GroupMessageRepository(h, { inserts: commits, updates: commits });
    const before = { ...commits.stats };
    const tmpIds = ['g1', 'g2', null, 'g1', 'g3'];
    const ids = await Promise.all(
      tmpIds.map((t) =>
        groups.insertUnlessTmpIdTaken({
          group_id: 7,
          send_id: 700,
          tmp_id: t,
          send_nick_name: 'n',
          recv_ids: '',
          content: `g ${t}`,
          at_user_ids: null,
          receipt: 0,
          type: 0,
          status: 0,
          send_time: new Date('2026-01-02T03:04:05.000Z'),
        }),
      ),
    );
    expect(ids.map((id) => id === null)).toEqual([false, false, false, true, false]);
    // MariaDB: the taken tmp_id fails the multi-row INSERT, the rows then go one by one.
    if (h.name !== 'mysql') expect(commits.stats.statements - before.statements).toBe(1);
    await expectIdsOf(ids, tmpIds, 'im_group_message');
    expect(commits.stats.writes - before.writes).toBe(5);
  });

  it('the platform lanes: one on SQLite (an insert and a delivered update of a tick, one commit), two elsewhere', async () => {
    const lanes = commitLanes(h);
    if (engine !== 'sqlite') {
      expect(lanes.inserts).not.toBe(lanes.updates);
      return;
    }
    expect(lanes.inserts).toBe(lanes.updates);
    const repo = new PrivateMessageRepository(h, lanes);
    const id = (await repo.insert(row(400, 'x')))!;
    const before = { ...lanes.inserts.stats };
    const [next] = await Promise.all([repo.insert(row(400, 'y')), repo.markDelivered([id])]);
    expect(lanes.inserts.stats.batches - before.batches).toBe(1);
    expect(lanes.inserts.stats.writes - before.writes).toBe(2);
    expect(next).toBeGreaterThan(id);
    const status = await h.db
      .selectFrom('im_private_message')
      .select('status')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(status.status).toBe(MessageStatus.DELIVERED);
  });
});
