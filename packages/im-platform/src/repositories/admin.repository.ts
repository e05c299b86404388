import { sql, type Expression, type SqlBool } from 'kysely';
import type { AdminAuditRow, DialectHandle, GroupRow, UserRow } from '../db';
import { insertReturningId } from '../db';

export interface Page<T> {
  rows: T[];
  total: number;
}

export interface NewAuditEntry {
  admin_id: number;
  action: string;
  target_type: string;
  target_id: number | null;
  reason: string;
  detail: string;
  created_time: Date;
}

/** LIKE pattern for "contains", with `%`, `_` and `!` taken literally (escape '!'). */
function contains(text: string): string {
  return `%${text.replace(/[!%_]/g, (c) => `!${c}`)}%`;
}

/** The id a keyword names (0, which no row has, when it is not a number). */
function idOf(keyword: string): number {
  return /^\d{1,15}$/.test(keyword) ? Number(keyword) : 0;
}

/** SQL of the administration: the admin flag, searches over users and groups, the audit log, stats. */
export class AdminRepository {
  constructor(private readonly h: DialectHandle) {}

  private like(column: Expression<unknown>, text: string): Expression<SqlBool> {
    const op = sql.raw(this.h.name === 'postgres' ? 'ilike' : 'like');
    return sql<SqlBool>`${column} ${op} ${contains(text)} escape '!'`;
  }

  /** Set or clear the admin flag of a user. */
  async setAdmin(userId: number, admin: boolean): Promise<void> {
    await this.h.db
      .updateTable('im_user')
      .set({ is_admin: admin ? 1 : 0 })
      .where('id', '=', userId)
      .execute();
  }

  /** Every administrator, by id. */
  admins(): Promise<UserRow[]> {
    return this.h.db.selectFrom('im_user').selectAll().where('is_admin', '=', 1).orderBy('id').execute();
  }

  /** Users whose id equals, or user name or nickname contains, `keyword`; newest first. */
  async searchUsers(keyword: string, offset: number, limit: number): Promise<Page<UserRow>> {
    const all = this.h.db.selectFrom('im_user');
    const base = !keyword
      ? all
      : all.where((eb) =>
          eb.or([
            eb('id', '=', idOf(keyword)),
            this.like(eb.ref('user_name'), keyword),
            this.like(eb.ref('nick_name'), keyword),
          ]),
        );
    const [rows, count] = await Promise.all([
      base.selectAll().orderBy('id', 'desc').offset(offset).limit(limit).execute(),
      base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(count.n) };
  }

  /** Groups whose id equals, or name contains, `keyword`; newest first. */
  async searchGroups(keyword: string, offset: number, limit: number): Promise<Page<GroupRow>> {
    const all = this.h.db.selectFrom('im_group');
    const base = !keyword
      ? all
      : all.where((eb) => eb.or([eb('id', '=', idOf(keyword)), this.like(eb.ref('name'), keyword)]));
    const [rows, count] = await Promise.all([
      base.selectAll().orderBy('id', 'desc').offset(offset).limit(limit).execute(),
      base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(count.n) };
  }

  async setUserBan(userId: number, banned: boolean, reason: string): Promise<void> {
    await this.h.db
      .updateTable('im_user')
      .set({ is_banned: banned ? 1 : 0, reason })
      .where('id', '=', userId)
      .execute();
  }

  async setGroupBan(groupId: number, banned: boolean, reason: string): Promise<void> {
    await this.h.db
      .updateTable('im_group')
      .set({ is_banned: banned ? 1 : 0, reason })
      .where('id', '=', groupId)
      .execute();
  }

  addAudit(entry: NewAuditEntry): Promise<number> {
    return insertReturningId(this.h, this.h.db.insertInto('im_admin_audit').values(entry));
  }

  async audit(offset: number, limit: number): Promise<Page<AdminAuditRow>> {
    const [rows, count] = await Promise.all([
      this.h.db
        .selectFrom('im_admin_audit')
        .selectAll()
        .orderBy('id', 'desc')
        .offset(offset)
        .limit(limit)
        .execute(),
      this.h.db
        .selectFrom('im_admin_audit')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(count.n) };
  }

  /** Users registered in [from, to). */
  async registrations(from: Date, to: Date): Promise<number> {
    const row = await this.h.db
      .selectFrom('im_user')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('created_time', '>=', from)
      .where('created_time', '<', to)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Private and group messages sent in [from, to) (recalled ones included). */
  async messages(from: Date, to: Date): Promise<number> {
    const count = async (table: 'im_private_message' | 'im_group_message') => {
      const row = await this.h.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .where('send_time', '>=', from)
        .where('send_time', '<', to)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    };
    return (await count('im_private_message')) + (await count('im_group_message'));
  }

  /** Distinct users who sent at least one private or group message in [from, to). */
  async activeUsers(from: Date, to: Date): Promise<number> {
    const senders = this.h.db
      .selectFrom('im_private_message')
      .select('send_id')
      .where('send_time', '>=', from)
      .where('send_time', '<', to)
      .union(
        this.h.db
          .selectFrom('im_group_message')
          .select('send_id')
          .where('send_time', '>=', from)
          .where('send_time', '<', to)
          .where('send_id', '>', 0),
      );
    const row = await this.h.db
      .selectFrom(senders.as('s'))
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
