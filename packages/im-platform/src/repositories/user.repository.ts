import { sql } from 'kysely';
import type { DialectHandle, NewUser, UserRow } from '../db';
import { insertReturningId } from '../db';
import { PreparedQuery, slot } from '../db/prepared';

const FIND_BY_ID = new PreparedQuery<{ id: number }, UserRow>((db) =>
  db.selectFrom('im_user').selectAll().where('id', '=', slot<number>('id')),
);

/** SQL of `im_user`. */
export class UserRepository {
  constructor(private readonly h: DialectHandle) {}

  /** Prepared: every authenticated request reads its user. */
  async findById(id: number): Promise<UserRow | undefined> {
    return (await FIND_BY_ID.execute(this.h, { id })).rows[0];
  }

  findByIds(ids: readonly number[]): Promise<UserRow[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.h.db
      .selectFrom('im_user')
      .selectAll()
      .where('id', 'in', [...ids])
      .execute();
  }

  /** The user of a name, compared case-insensitively on every engine (see migration 005). */
  findByUserName(userName: string): Promise<UserRow | undefined> {
    const query = this.h.db.selectFrom('im_user').selectAll();
    if (this.h.name === 'mysql') return query.where('user_name', '=', userName).executeTakeFirst();
    return query.where(sql<string>`lower(user_name)`, '=', userName.toLowerCase()).executeTakeFirst();
  }

  /** Users whose user name or nickname contains `text` (LIKE with `%` and `_` taken literally). */
  search(text: string, limit: number): Promise<UserRow[]> {
    // '!' as the escape character: the one spelling every engine accepts in ESCAPE.
    const pattern = `%${text.replace(/[!%_]/g, (c) => `!${c}`)}%`;
    // Case-insensitive everywhere: SQLite's LIKE and MySQL's collation already are.
    const like = sql.raw(this.h.name === 'postgres' ? 'ilike' : 'like');
    return this.h.db
      .selectFrom('im_user')
      .selectAll()
      .where((eb) =>
        eb.or([
          sql<boolean>`${eb.ref('user_name')} ${like} ${pattern} escape '!'`,
          sql<boolean>`${eb.ref('nick_name')} ${like} ${pattern} escape '!'`,
        ]),
      )
      .orderBy('id')
      .limit(limit)
      .execute();
  }

  /** Who may add the user as a friend (0 anyone, 1 by request, 2 nobody). */
  async setAddPolicy(id: number, policy: number): Promise<void> {
    await this.h.db.updateTable('im_user').set({ add_policy: policy }).where('id', '=', id).execute();
  }

  /** Insert a user; returns null if the user name is taken (unique index). */
  async insert(user: NewUser): Promise<number | null> {
    try {
      return await insertReturningId(this.h, this.h.db.insertInto('im_user').values(user));
    } catch (error) {
      if (this.h.isUniqueViolation(error)) return null;
      throw error;
    }
  }

  async updateProfile(
    id: number,
    profile: {
      nick_name: string;
      sex: number;
      signature: string;
      head_image: string;
      head_image_thumb: string;
    },
  ): Promise<void> {
    await this.h.db.updateTable('im_user').set(profile).where('id', '=', id).execute();
  }

  async updatePassword(id: number, passwordHash: string): Promise<void> {
    await this.h.db.updateTable('im_user').set({ password: passwordHash }).where('id', '=', id).execute();
  }

  async touchLogin(id: number, at: Date): Promise<void> {
    await this.h.db.updateTable('im_user').set({ last_login_time: at }).where('id', '=', id).execute();
  }
}
