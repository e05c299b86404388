/**
 * An existing box-im MySQL database is served as it is: our migrations adopt box-im's tables
 * (adding only indexes and columns of their own), and its users log in with their bcrypt
 * passwords.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import bcrypt from 'bcryptjs';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, startTestApp, type TestDatabase } from '@box-im/im-platform/testing';

describe.skipIf(!process.env['IM_TEST_MYSQL_URL'])('adopting a box-im MySQL database', () => {
  let tdb: TestDatabase;
  beforeAll(async () => {
    tdb = await createTestDatabase('mysql');
    const conn = await mysql.createConnection({ uri: tdb.url, multipleStatements: true });
    await conn.query(readFileSync(resolve(import.meta.dirname, 'boxim-mysql-schema.sql'), 'utf8'));
    await conn.query(
      `insert into im_user(user_name, nick_name, password) values ('boxim_user', '老用户', ?)`,
      [bcrypt.hashSync('123456', 10)],
    );
    await conn.query(
      `insert into im_private_message(send_id, recv_id, content, type, status) values (1, 1, '旧消息', 0, 3)`,
    );
    await conn.end();
  });
  afterAll(() => tdb?.drop());

  it('migrates without touching the data and logs box-im users in', async () => {
    // The harness creates its own database; point it at the prepared one instead.
    const t = await startTestApp({ engine: 'mysql', env: { DATABASE_URL: tdb.url } });
    try {
      const login = await t.anon.post('/login', { terminal: 0, userName: 'boxim_user', password: '123456' });
      expect(login.code).toBe(200);
      const conn = await mysql.createConnection({ uri: tdb.url });
      const [rows] = await conn.query('select count(*) as n from im_private_message');
      expect((rows as { n: number }[])[0]!.n).toBe(1);
      // im_file_info gained nullable columns only: box-im's insert and select still work.
      await conn.query(
        `insert into im_file_info(file_name, file_path, file_size, file_type, is_permanent, md5)
         values ('a.png', 'http://minio/box-im/image/20240101/1.png', 10, 1, 0, 'abc')`,
      );
      const [files] = await conn.query(
        'select file_name, file_path, file_size, file_type, compressed_path, cover_path, upload_time, is_permanent, md5, uploader_id, sha256 from im_file_info',
      );
      expect(files).toMatchObject([{ md5: 'abc', uploader_id: null, sha256: null }]);
      await conn.end();
    } finally {
      await t.close();
    }
  });
});
