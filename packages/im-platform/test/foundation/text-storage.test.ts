/**
 * Every text a user can set takes 4-byte characters (emoji, CJK extension B) on every
 * engine, and a NUL character is refused with a message naming the field, never an
 * internal error (PostgreSQL cannot store NUL in text; MySQL needs utf8mb4 for emoji).
 * Issue 9, item 12.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ENGINES,
  startTestApp,
  type ApiResult,
  type TestApp,
  type TestUser,
} from '@box-im/im-platform/testing';
import { narrowTextColumns } from '../../src/db/charset';

const WIDE = '😀𠀀'; // two characters outside the BMP: 4 bytes each in UTF-8
const NUL = '\u0000';

function refusedForNul(res: ApiResult, field: string): void {
  expect(res.status).toBe(200);
  expect(res.headers.get('x-error-key'), `${field}: ${res.message}`).toBe('NUL_CHARACTER');
  expect(res.message).toBe(`参数 ${field} 不能包含空字符（\\u0000）`);
}

describe.each(ENGINES)('text storage on %s', (engine) => {
  let t: TestApp;
  let alice: TestUser;
  let bob: TestUser;
  let groupId: number;
  beforeAll(async () => {
    t = await startTestApp({ engine });
    alice = await t.newUser('txt');
    bob = await t.newUser('txt');
    await t.befriend(alice, bob);
    groupId = (await alice.api.post('/group/create', { name: 'g' })).data.id;
  });
  afterAll(() => t.close());

  it('stores 4-byte characters in every user-set text and reads them back', async () => {
    const reg = await t.anon.post('/register', {
      userName: `wide${WIDE}`,
      nickName: `nick${WIDE}`,
      password: `pw${WIDE}12`,
      confirmPassword: `pw${WIDE}12`,
    });
    expect(reg.code, reg.message).toBe(200);
    const login = await t.anon.post('/login', {
      terminal: 0,
      userName: `wide${WIDE}`,
      password: `pw${WIDE}12`,
    });
    expect(login.code, login.message).toBe(200);
    const wide = t.anon.as(login.data.accessToken);
    const self = (await wide.get('/user/self')).data;
    expect(self).toMatchObject({ userName: `wide${WIDE}`, nickName: `nick${WIDE}` });
    expect((await wide.get(`/user/findByName?name=${encodeURIComponent(WIDE)}`)).data).toHaveLength(1);

    const upd = await alice.api.put('/user/update', {
      id: alice.id,
      nickName: `a${WIDE}`,
      signature: `sig ${WIDE}`.repeat(10),
    });
    expect(upd.code, upd.message).toBe(200);
    expect((await alice.api.get('/user/self')).data).toMatchObject({
      nickName: `a${WIDE}`,
      signature: `sig ${WIDE}`.repeat(10),
    });

    const group = (await alice.api.get(`/group/find/${groupId}`)).data;
    const mod = await alice.api.put('/group/modify', {
      ...group,
      name: `g${WIDE}`,
      notice: WIDE.repeat(300),
      remarkNickName: `r${WIDE}`,
      remarkGroupName: `rg${WIDE}`,
    });
    expect(mod.code, mod.message).toBe(200);
    expect((await alice.api.get(`/group/find/${groupId}`)).data).toMatchObject({
      name: `g${WIDE}`,
      notice: WIDE.repeat(300),
      remarkNickName: `r${WIDE}`,
      remarkGroupName: `rg${WIDE}`,
    });
    const created = await alice.api.post('/group/create', { name: WIDE.repeat(10), notice: WIDE });
    expect(created.code, created.message).toBe(200);

    // The longest content allowed, all 4-byte characters (4 KB of UTF-8).
    const content = '😀'.repeat(1024);
    const p = await alice.api.post('/message/private/send', {
      recvId: bob.id,
      content,
      type: 0,
      tmpId: `t${WIDE}`,
    });
    expect(p.code, p.message).toBe(200);
    const g = await alice.api.post('/message/group/send', { groupId, content, type: 0, tmpId: `t${WIDE}` });
    expect(g.code, g.message).toBe(200);
    const history = await bob.api.get(`/message/private/history?friendId=${alice.id}&page=1&size=5`);
    expect(history.data[0]).toMatchObject({ content, tmpId: `t${WIDE}` });
    const gh = await alice.api.get(`/message/group/history?groupId=${groupId}&page=1&size=5`);
    expect(gh.data[0]).toMatchObject({ content });
  });

  it('refuses a NUL character in any field, naming it', async () => {
    const group = (await alice.api.get(`/group/find/${groupId}`)).data;
    const cases: [Promise<ApiResult>, string][] = [
      [
        t.anon.post('/register', { userName: `n${NUL}`, password: 'secret1', confirmPassword: 'secret1' }),
        'body.userName',
      ],
      [
        t.anon.post('/register', {
          userName: 'nuln',
          nickName: `x${NUL}`,
          password: 'secret1',
          confirmPassword: 'secret1',
        }),
        'body.nickName',
      ],
      [
        t.anon.post('/login', { terminal: 0, userName: alice.userName, password: `a${NUL}` }),
        'body.password',
      ],
      [alice.api.put('/user/update', { id: alice.id, nickName: 'ok', signature: NUL }), 'body.signature'],
      [alice.api.put('/user/update', { id: alice.id, nickName: `a${NUL}b` }), 'body.nickName'],
      [alice.api.post('/group/create', { name: `g${NUL}` }), 'body.name'],
      [alice.api.put('/group/modify', { ...group, notice: `x${NUL}` }), 'body.notice'],
      [alice.api.put('/group/modify', { ...group, remarkNickName: NUL }), 'body.remarkNickName'],
      [alice.api.put('/group/modify', { ...group, remarkGroupName: NUL }), 'body.remarkGroupName'],
      [
        alice.api.post('/message/private/send', { recvId: bob.id, content: `hi${NUL}`, type: 0 }),
        'body.content',
      ],
      [
        alice.api.post('/message/private/send', { recvId: bob.id, content: 'hi', type: 0, tmpId: NUL }),
        'body.tmpId',
      ],
      [alice.api.post('/message/group/send', { groupId, content: NUL, type: 0 }), 'body.content'],
      [
        alice.api.post('/message/group/send', {
          groupId,
          content: 'x',
          type: 0,
          atUserIds: [],
          [`k${NUL}`]: 1,
        }),
        'body',
      ],
      [alice.api.get(`/user/findByName?name=a%00b`), 'query.name'],
      [alice.api.get(`/user/terminal/online?userIds=1%00`), 'query.userIds'],
    ];
    for (const [pending, field] of cases) refusedForNul(await pending, field);
    const en = await alice.api.as(alice.api.accessToken, 'en').post('/group/create', { name: NUL });
    expect(en.message).toBe('Field body.name must not contain NUL characters (\\u0000)');
    expect((await alice.api.get('/user/self')).data.nickName).not.toContain(NUL);
  });

  it('drops control characters from uploaded file names and stores 4-byte ones', async () => {
    const data = new FormData();
    data.append('file', new Blob([new Uint8Array(Buffer.from('hello'))]), `a${NUL}b${WIDE}.txt`);
    const res = await alice.api.post<string>('/file/upload', data);
    expect(res.code, res.message).toBe(200);
    const rows = await t.running.ctx.db.db
      .selectFrom('im_file_info')
      .select('file_name')
      .where('file_name', 'like', '%.txt')
      .execute();
    expect(rows.map((r) => r.file_name)).toContain(`ab${WIDE}.txt`);
  });

  it.runIf(engine === 'mysql')('keeps every MySQL table and text column in utf8mb4', async () => {
    const db = t.running.ctx.db.db;
    const tables = await sql<{ name: string; collation: string }>`
      select table_name as name, table_collation as collation from information_schema.tables
      where table_schema = database() and table_name like 'im\\_%'`.execute(db);
    expect(tables.rows.length).toBeGreaterThanOrEqual(9);
    for (const row of tables.rows) expect(row.collation, row.name).toMatch(/^utf8mb4/);
    const columns = await sql<{ name: string; charset: string }>`
      select concat(table_name, '.', column_name) as name, character_set_name as charset
      from information_schema.columns
      where table_schema = database() and table_name like 'im\\_%' and character_set_name is not null`.execute(
      db,
    );
    expect(columns.rows.length).toBeGreaterThan(20);
    for (const row of columns.rows) expect(row.charset, row.name).toBe('utf8mb4');
    expect(await narrowTextColumns(db, 'mysql')).toEqual([]);
  });

  it.runIf(engine === 'mysql')(
    'answers a clear error when an adopted table cannot hold an emoji (utf8mb3 column)',
    async () => {
      const db = t.running.ctx.db.db;
      await db.updateTable('im_user').set({ signature: '' }).execute();
      await sql`alter table im_user modify signature varchar(1024) character set utf8mb3 default ''`.execute(
        db,
      );
      try {
        const res = await alice.api.put('/user/update', { id: alice.id, nickName: 'ok', signature: WIDE });
        expect(res).toMatchObject({ code: 500, message: '内容包含数据库无法保存的字符' });
        expect(res.headers.get('x-error-key')).toBe('UNSTORABLE_TEXT');
        // what the platform warns about at boot
        expect(await narrowTextColumns(db, 'mysql')).toEqual(['im_user.signature']);
      } finally {
        await sql`alter table im_user modify signature varchar(1024) character set utf8mb4 default ''`.execute(
          db,
        );
      }
    },
  );
});
