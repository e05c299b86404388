/**
 * Search finds every stored text message whether or not it is in the search index yet: on
 * SQLite rows are indexed in batches after their commit (migration 021), so a row is found
 * before its batch, after it, after a restart that found it unindexed (a crash between commit
 * and batch), and deletes and content updates keep the index right on both sides of the mark.
 * Other engines index as they insert; the same expectations hold.
 */
import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { insertReturningId, migrateToLatest, openDatabase, type DialectHandle } from '../../src/db';
import { messageSearchIndexJob } from '../../src/jobs/message-search-index';
import { createRepositories, type Repositories } from '../../src/repositories';
import { MessageSearchRepository } from '../../src/repositories/message-search.repository';
import { createTestDatabase, DB_IMPLEMENTATIONS, type TestDatabase } from '@box-im/im-platform/testing';
import { useMigratedDatabase } from './migrated';

describe.each(DB_IMPLEMENTATIONS)('message search index on $label', ({ engine, options }) => {
  let tdb: TestDatabase;
  let h: DialectHandle;
  let search: MessageSearchRepository;
  const open = async () => {
    h = openDatabase(tdb.url, 10, undefined, options);
    await migrateToLatest(h.db as never, h.name);
    search = new MessageSearchRepository(h);
  };
  beforeAll(async () => {
    tdb = await createTestDatabase(engine);
    await open();
  });
  afterAll(async () => {
    await h.db.destroy();
    await tdb.drop();
  });

  const say = (content: string) =>
    insertReturningId(
      h,
      h.db
        .insertInto('im_private_message')
        .values({ send_id: 1, recv_id: 2, content, type: 0, status: 0, send_time: new Date(), tmp_id: null }),
    );
  const find = async (keyword: string) =>
    (await search.privateMessages(1, { keyword, limit: 50 })).map((r) => Number(r.id)).sort((a, b) => a - b);
  const inIndex = async (keyword: string) => {
    if (h.name !== 'sqlite') return [];
    const rows = await sql<{ rowid: number }>`select rowid from im_private_message_fts
      where im_private_message_fts match ${`"${keyword}"`}`.execute(h.db);
    return rows.rows.map((r) => Number(r.rowid)).sort((a, b) => a - b);
  };

  it('finds a message before and after its index batch, and only once', async () => {
    const a = await say('去爬山吧 before batch');
    expect(await find('爬山吧')).toEqual([a]);
    const indexed = await search.indexPending();
    if (h.name === 'sqlite') {
      expect(indexed).toBe(1);
      expect(await inIndex('爬山吧')).toEqual([a]);
    } else expect(indexed).toBe(0);
    expect(await find('爬山吧')).toEqual([a]);
    expect(await search.indexPending()).toBe(0);
    const b = await say('还去爬山吧 after batch');
    expect(await find('爬山吧')).toEqual([a, b]);
  });

  it('indexes at start what a crash left unindexed, and keeps the index right on delete and update', async () => {
    const c = await say('unindexed keyword-restart');
    // A crash before the batch: the process ends with the row stored and not indexed.
    await h.db.destroy();
    await open();
    expect(await find('keyword-restart')).toEqual([c]);
    await search.indexPending();
    expect(await inIndex('keyword-restart')).toEqual(h.name === 'sqlite' ? [c] : []);
    // Indexed row: update and delete go through the index.
    await h.db
      .updateTable('im_private_message')
      .set({ content: 'renamed keyword-changed' })
      .where('id', '=', c)
      .execute();
    expect(await find('keyword-restart')).toEqual([]);
    expect(await find('keyword-changed')).toEqual([c]);
    await h.db.deleteFrom('im_private_message').where('id', '=', c).execute();
    expect(await find('keyword-changed')).toEqual([]);
    // Unindexed row: updated and deleted before its batch; the batch indexes what is there.
    const d = await say('pending keyword-before');
    const e = await say('pending keyword-gone');
    await h.db
      .updateTable('im_private_message')
      .set({ content: 'pending keyword-after' })
      .where('id', '=', d)
      .execute();
    await h.db.deleteFrom('im_private_message').where('id', '=', e).execute();
    await search.indexPending();
    expect(await find('keyword-before')).toEqual([]);
    expect(await find('keyword-after')).toEqual([d]);
    expect(await find('keyword-gone')).toEqual([]);
    expect(await inIndex('keyword-after')).toEqual(h.name === 'sqlite' ? [d] : []);
    expect(await inIndex('keyword-gone')).toEqual([]);
    if (h.name === 'sqlite') {
      const check = sql`insert into im_private_message_fts(im_private_message_fts, rank) values ('integrity-check', 1)`;
      await check.execute(h.db); // throws on a corrupt index (external content compared)
    }
  });
});

describe('message search index job on sqlite', () => {
  const db = useMigratedDatabase('sqlite');
  let repos: Repositories;
  beforeAll(() => {
    repos = createRepositories(db.h);
  });
  /** A private message row from user 1 to user 2. */
  const row = (content: string, tmp_id: string | null) => ({
    send_id: 1,
    recv_id: 2,
    content,
    type: 0,
    status: 0,
    send_time: new Date(),
    tmp_id,
  });
  /** A row written behind the repositories' back (as by a crash's leftovers): no cue. */
  const raw = (content: string) =>
    insertReturningId(db.h, db.h.db.insertInto('im_private_message').values(row(content, null)));
  /** A message sent as the services send it: through group commit, which cues the job. */
  const send = async (content: string, tmp: string) =>
    Number(await repos.privateMessages.insert(row(content, tmp)));
  const mark = async () =>
    Number(
      (
        await sql<{ m: number }>`select indexed_id as m from im_message_fts_mark
        where table_name = 'im_private_message'`.execute(db.h.db)
      ).rows[0]?.m,
    );
  const found = async (keyword: string) =>
    (await repos.messageSearch.privateMessages(1, { keyword, limit: 50 })).map((r) => Number(r.id));

  it('indexes at start what is pending, after commits that stored messages, and at stop', async () => {
    const first = await raw('left by a crash');
    const job = messageSearchIndexJob(repos.messageSearch, pino({ level: 'silent' }));
    await job.start();
    expect(await mark()).toBe(first);
    const second = await send('indexed after its commit', 't1');
    await vi.waitFor(async () => expect(await mark()).toBe(second), { timeout: 3000 });
    const third = await raw('indexed at stop');
    await job.stop();
    expect(await mark()).toBe(third);
  });

  it('runs no batch while nothing is stored through the repositories; search finds every row meanwhile', async () => {
    const job = messageSearchIndexJob(repos.messageSearch, pino({ level: 'silent' }));
    await job.start();
    const before = await mark();
    // No commit cued the job: its mark stays (it ran nothing) and search scans the tail.
    const quiet = await raw('unindexed quietword');
    await new Promise((r) => setTimeout(r, 600));
    expect(await mark()).toBe(before);
    expect(await found('quietword')).toEqual([quiet]);
    // Sends in several ticks: one batch after them indexes them and the row before them.
    const sent = [await send('cued quietword one', 't2'), await send('cued quietword two', 't3')];
    await vi.waitFor(async () => expect(await mark()).toBe(sent[1]), { timeout: 3000 });
    expect((await found('quietword')).sort((a, b) => a - b)).toEqual([quiet, ...sent]);
    const fts = await sql<{ n: number }>`select count(*) as n from im_private_message_fts
      where im_private_message_fts match '"quietword"'`.execute(db.h.db);
    expect(Number(fts.rows[0]?.n)).toBe(3);
    await job.stop();
  });
});
