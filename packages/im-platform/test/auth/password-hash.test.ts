/**
 * PASSWORD_HASH=bcrypt (issue 9, item 17): while box-im's Java nodes serve the same database,
 * new hashes are bcrypt in box-im's form and a login never rewrites a bcrypt hash to argon2id.
 */
import { hash as argon2Hash } from '@node-rs/argon2';
import bcrypt from 'bcryptjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestApp, type TestApp } from '@box-im/im-platform/testing';
import { loadPlatformConfig } from '../../src/config';

describe.each(ENGINES)('PASSWORD_HASH=bcrypt on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ engine, env: { PASSWORD_HASH: 'bcrypt' } });
  });
  afterAll(() => t?.close());

  const storedHash = async (userName: string) =>
    (
      await t.running.ctx.db.db
        .selectFrom('im_user')
        .select('password')
        .where('user_name', '=', userName)
        .executeTakeFirstOrThrow()
    ).password;
  const insertUser = (userName: string, password: string) =>
    t.running.ctx.db.db
      .insertInto('im_user')
      .values({ user_name: userName, nick_name: userName, password, created_time: new Date() })
      .execute();
  const login = (userName: string, password: string) =>
    t.anon.post('/login', { terminal: 0, userName, password });

  it('registers with a bcrypt hash in box-im’s $2a$10$ form, which bcrypt (as Java) verifies', async () => {
    await t.account({ userName: 'newcomer', password: 'pw-12345' });
    const stored = await storedHash('newcomer');
    expect(stored).toMatch(/^\$2a\$10\$.{53}$/);
    expect(bcrypt.compareSync('pw-12345', stored)).toBe(true);
  });

  it('never upgrades box-im’s bcrypt hash at login', async () => {
    const boxim = bcrypt.hashSync('legacy-pw', 10).replace(/^\$2b\$/, '$2a$');
    await insertUser('javauser', boxim);
    for (let i = 0; i < 2; i++) expect((await login('javauser', 'legacy-pw')).code).toBe(200);
    expect(await storedHash('javauser')).toBe(boxim);
    expect((await login('javauser', 'wrong')).code).toBe(10001);
  });

  it('turns an argon2id hash (made before the switch) into bcrypt at login, so Java can verify it', async () => {
    await insertUser('modern', await argon2Hash('modern-pw'));
    expect((await login('modern', 'modern-pw')).code).toBe(200);
    const stored = await storedHash('modern');
    expect(stored).toMatch(/^\$2a\$10\$/);
    expect(bcrypt.compareSync('modern-pw', stored)).toBe(true);
    expect((await login('modern', 'modern-pw')).code).toBe(200);
  });

  it('writes bcrypt on a password change', async () => {
    const u = await t.account({ userName: 'changer', password: 'old-pw1' });
    expect((await u.api.put('/modifyPwd', { oldPassword: 'old-pw1', newPassword: 'new-pw1' })).code).toBe(
      200,
    );
    expect(bcrypt.compareSync('new-pw1', await storedHash('changer'))).toBe(true);
  });
});

describe('PASSWORD_HASH setting', () => {
  it('defaults to argon2id and refuses unknown schemes', () => {
    expect(loadPlatformConfig({}).PASSWORD_HASH).toBe('argon2id');
    expect(() => loadPlatformConfig({ PASSWORD_HASH: 'md5' })).toThrow(/PASSWORD_HASH/);
  });
});
