/**
 * Migration 022 on SQLite: `im_private_message` loses box-im's single-column `idx_send_id` and
 * `idx_recv_id` (each the same entries as `idx_*_id_id`, as SQLite ends every index entry with
 * the rowid), and every per-user lookup of the repository still reads an index, never the table.
 */
import { CompiledQuery, sql, type Compilable } from 'kysely';
import { expect, it } from 'vitest';
import { PrivateMessageRepository } from '../../src/repositories/private-message.repository';
import { useMigratedDatabase } from './migrated';

const db = useMigratedDatabase('sqlite');

const plan = async (query: Compilable<unknown>) => {
  const { sql: text, parameters } = query.compile();
  const rows = await db.h.db.executeQuery<{ detail: string }>(
    CompiledQuery.raw(`explain query plan ${text}`, [...parameters]),
  );
  return rows.rows.map((r) => r.detail).join('; ');
};

it('drops the two duplicate indexes and keeps the composite ones', async () => {
  const indexes = await sql<{ name: string }>`pragma index_list(im_private_message)`.execute(db.h.db);
  const names = indexes.rows.map((r) => r.name).sort();
  expect(names).not.toContain('idx_send_id');
  expect(names).not.toContain('idx_recv_id');
  for (const kept of ['idx_send_id_id', 'idx_recv_id_id', 'idx_send_recv_id', 'idx_recv_status_id'])
    expect(names).toContain(`im_private_message_${kept}`);
});

it('answers the per-user lookups from an index', async () => {
  const m = db.h.db.selectFrom('im_private_message').selectAll();
  const queries = {
    sent: m.where('send_id', '=', 1).where('id', '>', 0).orderBy('id').limit(10),
    received: m.where('recv_id', '=', 1).where('id', '>', 0).orderBy('id').limit(10),
    bySender: db.h.db.selectFrom('im_private_message').select('id').where('send_id', '=', 1),
    byReceiver: db.h.db.selectFrom('im_private_message').select('id').where('recv_id', '=', 1),
  };
  for (const [name, query] of Object.entries(queries)) {
    const detail = await plan(query);
    expect(detail, name).toMatch(/USING (COVERING )?INDEX im_private_message_idx_/);
    expect(detail, name).not.toMatch(/SCAN im_private_message(?! USING)/);
  }
});

it('stores and reads messages as before', async () => {
  const repo = new PrivateMessageRepository(db.h);
  const row = { send_id: 7, recv_id: 8, content: 'x', type: 0, status: 0, send_time: new Date() };
  const a = await repo.insert({ ...row, tmp_id: 'a' });
  const b = await repo.insert({ ...row, tmp_id: 'b' });
  expect(await repo.insert({ ...row, tmp_id: 'a' })).toBeNull();
  expect((await repo.pageAfter(8, 0, new Date(0), 10)).map((r) => r.id)).toEqual([a, b]);
  expect(await repo.hasReceivedFrom(8, 7)).toBe(true);
});
