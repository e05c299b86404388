/**
 * SQLite in the main thread: a group-commit batch holds kysely's connection and runs BEGIN,
 * its prepared statements and COMMIT straight on better-sqlite3. Results are those kysely
 * gives; nothing else runs on the connection while a batch is open.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MessageStatus } from '@box-im/im-common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest, openDatabase, type DialectHandle } from '../../src/db';
import { GroupCommit } from '../../src/db/group-commit';
import { PreparedQuery, slot } from '../../src/db/prepared';

const INSERT = new PreparedQuery<{ send_id: number; tmp_id: string; send_time: Date }, never>((db) =>
  db.insertInto('im_private_message').values({
    send_id: slot<number>('send_id'),
    recv_id: 2,
    tmp_id: slot<string>('tmp_id'),
    content: 'hello',
    type: 0,
    status: MessageStatus.PENDING,
    send_time: slot<Date>('send_time'),
  }),
);
const BY_TMP_ID = new PreparedQuery<{ tmp_id: string }, { id: number; send_time: Date }>((db) =>
  db
    .selectFrom('im_private_message')
    .select(['id', 'send_time'])
    .where('tmp_id', '=', slot<string>('tmp_id')),
);
const SENT = new Date('2026-01-02T03:04:05.678Z');

describe('SQLite group commit on the held connection', () => {
  let dir: string;
  let h: DialectHandle;
  let commits: GroupCommit;
  const count = async (sendId: number) =>
    (
      await h.db
        .selectFrom('im_private_message')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('send_id', '=', sendId)
        .executeTakeFirstOrThrow()
    ).n;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sqlite-direct-'));
    h = openDatabase(`sqlite:${join(dir, 'im.db')}`, 1);
    await migrateToLatest(h.db as never, h.name);
    commits = new GroupCommit(h);
  });
  afterAll(async () => {
    await h.db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs prepared statements directly with the results kysely gives (ids, counts, Dates)', async () => {
    const seen: boolean[] = [];
    const [a, b] = await Promise.all(
      ['d1', 'd2'].map((tmp_id) =>
        commits.submit(async (th) => {
          seen.push(th.direct !== undefined);
          return INSERT.execute(th, { send_id: 10, tmp_id, send_time: SENT });
        }),
      ),
    );
    expect(seen).toEqual([true, true]);
    expect(typeof a!.insertId).toBe('bigint');
    expect(b!.insertId).toBe(a!.insertId! + 1n);
    expect(b!.numAffectedRows).toBe(1n);
    const viaKysely = await INSERT.execute(h, { send_id: 10, tmp_id: 'k1', send_time: SENT });
    expect(viaKysely.insertId).toBe(b!.insertId! + 1n);

    const direct = await commits.submit((th) => BY_TMP_ID.execute(th, { tmp_id: 'd1' }));
    const kysely = await BY_TMP_ID.execute(h, { tmp_id: 'd1' });
    expect(direct.rows).toEqual([{ id: Number(a!.insertId), send_time: SENT }]);
    expect(direct.rows).toEqual(kysely.rows);
  });

  it('holds the connection until COMMIT: a query issued meanwhile waits and sees the whole batch', async () => {
    let paused!: () => void;
    const waiting = new Promise<void>((ok) => (paused = ok));
    const batch = Promise.all([
      commits.submit(async (th) => {
        await INSERT.execute(th, { send_id: 20, tmp_id: 'p1', send_time: SENT });
        paused();
        // A real gap in the event loop inside the open transaction.
        await new Promise((ok) => setTimeout(ok, 30));
        return 1;
      }),
      commits.submit((th) => INSERT.execute(th, { send_id: 20, tmp_id: 'p2', send_time: SENT })),
    ]);
    await waiting;
    expect(h.sqliteConnection!.inTransaction).toBe(true);
    let batchDone = false;
    void batch.then(() => (batchDone = true));
    const n = await count(20);
    expect(batchDone).toBe(true);
    expect(n).toBe(2);
    expect(h.sqliteConnection!.inTransaction).toBe(false);
  });

  it('rolls the batch back when a write fails; the others are then stored alone', async () => {
    const results = await Promise.allSettled([
      commits.submit((th) => INSERT.execute(th, { send_id: 30, tmp_id: 'r1', send_time: SENT })),
      commits.submit(() => Promise.reject(new Error('write at fault'))),
      commits.submit((th) => INSERT.execute(th, { send_id: 30, tmp_id: 'r2', send_time: SENT })),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await count(30)).toBe(2);
    expect(h.sqliteConnection!.inTransaction).toBe(false);
  });
});
