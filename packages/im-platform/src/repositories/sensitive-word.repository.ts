import type { DialectHandle, SensitiveWordRow } from '../db';
import { insertReturningId } from '../db';

/** SQL of `im_sensitive_word`. */
export class SensitiveWordRepository {
  constructor(private readonly h: DialectHandle) {}

  async enabledWords(): Promise<string[]> {
    const rows = await this.h.db
      .selectFrom('im_sensitive_word')
      .select('content')
      .where('enabled', '=', 1)
      .execute();
    return rows.map((r) => r.content);
  }

  /** Every word, newest first. */
  list(): Promise<SensitiveWordRow[]> {
    return this.h.db.selectFrom('im_sensitive_word').selectAll().orderBy('id', 'desc').execute();
  }

  findById(id: number): Promise<SensitiveWordRow | undefined> {
    return this.h.db.selectFrom('im_sensitive_word').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findByContent(content: string): Promise<SensitiveWordRow | undefined> {
    return this.h.db
      .selectFrom('im_sensitive_word')
      .selectAll()
      .where('content', '=', content)
      .executeTakeFirst();
  }

  add(content: string, enabled = true, creator: number | null = null, now = new Date()): Promise<number> {
    return insertReturningId(
      this.h,
      this.h.db
        .insertInto('im_sensitive_word')
        .values({ content, enabled: enabled ? 1 : 0, creator, create_time: now }),
    );
  }

  /** Change a word's text or switch it on/off. */
  async update(
    id: number,
    change: { content?: string | undefined; enabled?: boolean | undefined },
  ): Promise<void> {
    const set: { content?: string; enabled?: number } = {};
    if (change.content !== undefined) set.content = change.content;
    if (change.enabled !== undefined) set.enabled = change.enabled ? 1 : 0;
    if (Object.keys(set).length === 0) return;
    await this.h.db.updateTable('im_sensitive_word').set(set).where('id', '=', id).execute();
  }

  async delete(id: number): Promise<boolean> {
    const result = await this.h.db.deleteFrom('im_sensitive_word').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}
