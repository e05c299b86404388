import { sql, type SqlBool } from 'kysely';
import type { DialectHandle, FileAnonymousRow, FileInfoRow } from '../db';

export interface NewAnonymousUpload {
  fileId: number;
  ip: string;
  privateMessageId: number;
  groupMessageId: number;
  expireTime: Date;
}

/** A due anonymous upload: its marks, and its file row (absent if the row is gone). */
export type DueAnonymousUpload = FileAnonymousRow & { file: FileInfoRow | undefined };

/**
 * SQL of `im_file_anonymous` (uploads made without a token, until something refers to
 * them), and the search for such references in messages and profiles.
 */
export class AnonymousUploadRepository {
  constructor(private readonly h: DialectHandle) {}

  /** The highest message ids now: only later messages can refer to an upload made now. */
  async messageMarks(): Promise<{ privateMessageId: number; groupMessageId: number }> {
    const [p, g] = await Promise.all([
      this.h.db
        .selectFrom('im_private_message')
        .select((eb) => eb.fn.max('id').as('id'))
        .executeTakeFirst(),
      this.h.db
        .selectFrom('im_group_message')
        .select((eb) => eb.fn.max('id').as('id'))
        .executeTakeFirst(),
    ]);
    return { privateMessageId: Number(p?.id ?? 0), groupMessageId: Number(g?.id ?? 0) };
  }

  async insert(row: NewAnonymousUpload): Promise<void> {
    await this.h.db
      .insertInto('im_file_anonymous')
      .values({
        file_id: row.fileId,
        ip: row.ip,
        private_message_id: row.privateMessageId,
        group_message_id: row.groupMessageId,
        expire_time: row.expireTime,
      })
      .execute();
  }

  /** Uploads whose time ran out at `now`, by ascending file id after `afterId`. */
  async findDue(now: Date, afterId: number, limit: number): Promise<DueAnonymousUpload[]> {
    const due = await this.h.db
      .selectFrom('im_file_anonymous')
      .selectAll()
      .where('expire_time', '<=', now)
      .where('file_id', '>', afterId)
      .orderBy('file_id')
      .limit(limit)
      .execute();
    if (due.length === 0) return [];
    const files = await this.h.db
      .selectFrom('im_file_info')
      .selectAll()
      .where(
        'id',
        'in',
        due.map((d) => d.file_id),
      )
      .execute();
    const byId = new Map(files.map((f) => [Number(f.id), f]));
    return due.map((d) => ({ ...d, file: byId.get(Number(d.file_id)) }));
  }

  /**
   * Which of `tokens` (the random part of keys) a message after the given ids mentions, or,
   * with `profiles`, the head image of a user or group. Messages are searched only past the
   * marks (a range of the primary key); profiles are searched whole, so only image tokens
   * should be asked with `profiles`.
   */
  async referenced(
    tokens: readonly string[],
    after: { privateMessageId: number; groupMessageId: number },
    profiles: boolean,
  ): Promise<Set<string>> {
    const found = new Set<string>();
    if (tokens.length === 0) return found;
    const mentions = (columns: string[]) =>
      sql<SqlBool>`(${sql.join(
        columns.flatMap((c) => tokens.map((t) => sql`${sql.ref(c)} like ${`%${t}%`}`)),
        sql` or `,
      )})`;
    const collect = (texts: (string | null)[]) => {
      for (const text of texts) for (const t of tokens) if (text?.includes(t)) found.add(t);
    };
    const [pm, gm] = await Promise.all([
      this.h.db
        .selectFrom('im_private_message')
        .select('content')
        .where('id', '>', after.privateMessageId)
        .where(mentions(['content']))
        .execute(),
      this.h.db
        .selectFrom('im_group_message')
        .select('content')
        .where('id', '>', after.groupMessageId)
        .where(mentions(['content']))
        .execute(),
    ]);
    collect([...pm, ...gm].map((r) => r.content));
    if (!profiles) return found;
    const heads = ['head_image', 'head_image_thumb'];
    const [users, groups] = await Promise.all([
      this.h.db
        .selectFrom('im_user')
        .select(['head_image', 'head_image_thumb'])
        .where(mentions(heads))
        .execute(),
      this.h.db
        .selectFrom('im_group')
        .select(['head_image', 'head_image_thumb'])
        .where(mentions(heads))
        .execute(),
    ]);
    collect([...users, ...groups].flatMap((r) => [r.head_image, r.head_image_thumb]));
    return found;
  }

  async deleteByFileIds(ids: readonly number[]): Promise<void> {
    if (ids.length === 0) return;
    await this.h.db
      .deleteFrom('im_file_anonymous')
      .where('file_id', 'in', [...ids])
      .execute();
  }
}
