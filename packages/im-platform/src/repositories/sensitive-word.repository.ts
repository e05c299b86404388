import type { DialectHandle } from '../db';

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

  async add(content: string, enabled = true): Promise<void> {
    await this.h.db
      .insertInto('im_sensitive_word')
      .values({ content, enabled: enabled ? 1 : 0, create_time: new Date() })
      .execute();
  }
}
