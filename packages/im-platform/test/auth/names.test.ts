/**
 * Look-alike names (issue 9, item 10): user names and nicknames are NFKC-normalised;
 * invisible characters and look-alike script mixes are refused at register and on a
 * profile change, while Chinese with Latin, emoji and accents stay allowed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '@box-im/im-platform/testing';
import { checkNickName, checkUserName, isAllowedMix, scriptsOf } from '../../src/services/names';

const register = (t: TestApp, userName: string, nickName?: string) =>
  t.anon.post('/register', {
    userName,
    password: 'secret123',
    confirmPassword: 'secret123',
    ...(nickName !== undefined ? { nickName } : {}),
  });

describe('user names and nicknames', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it.each([
    ['al\u200bice', 'zero-width space'],
    ['\u200dalice', 'zero-width joiner'],
    ['ali\u00adce', 'soft hyphen'],
    ['alice\u202e', 'right-to-left override'],
    ['ali\ufeffce', 'byte order mark'],
    ['ali\u2060ce', 'word joiner'],
    ['al\u3164ice', 'Hangul filler'],
    ['ali\tce', 'tab'],
  ])('refuses %j at register (%s)', async (name) => {
    const res = await register(t, name);
    expect(res).toMatchObject({ code: 500, message: '用户名不能包含不可见字符或格式控制字符（如零宽空格）' });
    expect(res.headers.get('x-error-key')).toBe('USERNAME_INVISIBLE');
    const en = await t.anon.as(undefined, 'en').post('/register', {
      userName: name,
      password: 'secret123',
      confirmPassword: 'secret123',
    });
    expect(en.message).toContain('invisible or formatting characters');
  });

  it.each(['\u0430lice', 'p\u0430ypal', 'ΑΒCdef', 'abcд'])(
    'refuses the mixed-script user name %j',
    async (name) => {
      const res = await register(t, name);
      expect(res.headers.get('x-error-key')).toBe('USERNAME_MIXED_SCRIPTS');
      expect(res.message).toBe('用户名不能混用易混淆的文字（如拉丁字母与西里尔字母），中文与英文可以混用');
    },
  );

  it.each([
    '小明Tom',
    'Tom小明2024',
    'Ｊｏｈｎ張三',
    'user_名前カナ',
    'josé',
    'Алексей',
    'δημήτρης',
    '김철수abc',
  ])('accepts %j', async (name) => {
    const res = await register(t, name);
    expect(res.code, res.message).toBe(200);
  });

  it('stores NFKC and lets the user log in however they type it', async () => {
    expect((await register(t, 'Ｆｕｌｌ１２', 'Ｎｉｃｋ')).code).toBe(200);
    const login = await t.anon.post('/login', { terminal: 0, userName: 'Full12', password: 'secret123' });
    expect(login.code, login.message).toBe(200);
    const me = await t.anon.as(login.data.accessToken).get('/user/self');
    expect(me.data).toMatchObject({ userName: 'Full12', nickName: 'Nick' });
    const wide = await t.anon.post('/login', {
      terminal: 0,
      userName: 'Ｆｕｌｌ１２',
      password: 'secret123',
    });
    expect(wide.code).toBe(200);
    // A look-alike spelled with a fullwidth form is the same name, not a second account.
    expect((await register(t, 'full12')).headers.get('x-error-key')).toBe('USERNAME_ALREADY_REGISTER');
  });

  it('checks nicknames at register and on a profile change, word by word, emoji allowed', async () => {
    expect((await register(t, 'nick1', 'bo\u200bb')).headers.get('x-error-key')).toBe('NICKNAME_INVISIBLE');
    expect((await register(t, 'nick2', 'p\u0430ypal')).headers.get('x-error-key')).toBe(
      'NICKNAME_MIXED_SCRIPTS',
    );
    const u = await t.newUser('nick');
    for (const ok of ['Иван Smith', '小明 🐱', '👨‍👩‍👧 family', '❤️ love', 'Ｎｉｃｋ']) {
      const res = await u.api.put('/user/update', { id: u.id, nickName: ok });
      expect(res.code, `${ok}: ${res.message}`).toBe(200);
    }
    expect((await u.api.get('/user/self')).data.nickName).toBe('Nick');
    for (const [bad, key] of [
      ['Ivan\u200b', 'NICKNAME_INVISIBLE'],
      ['a\u200db', 'NICKNAME_INVISIBLE'],
      ['\u202eevil', 'NICKNAME_INVISIBLE'],
      ['Smith Ivаn', 'NICKNAME_MIXED_SCRIPTS'],
    ]) {
      const res = await u.api.put('/user/update', { id: u.id, nickName: bad });
      expect(res.headers.get('x-error-key'), bad).toBe(key);
      expect(res.message).toMatch(/昵称/);
    }
    expect((await u.api.get('/user/self')).data.nickName).toBe('Nick');
  });

  it('refuses a name that NFKC makes longer than the limit', async () => {
    const res = await register(t, 'abc\ufdfa');
    expect(res.headers.get('x-error-key')).toBe('NAME_TOO_LONG');
  });

  it('classifies scripts as UTS #39 "highly restrictive" does', () => {
    expect([...scriptsOf('abc123_中文')].sort()).toEqual(['Han', 'Latin']);
    expect(isAllowedMix(new Set(['Latin', 'Han', 'Katakana']))).toBe(true);
    expect(isAllowedMix(new Set(['Latin', 'Hangul', 'Han']))).toBe(true);
    expect(isAllowedMix(new Set(['Hangul', 'Katakana']))).toBe(false);
    expect(isAllowedMix(new Set(['Latin', 'Greek']))).toBe(false);
    expect(checkUserName('  ｔｏｍ ')).toBe('tom');
    expect(checkNickName('🐱‍👤 ninja')).toBe('🐱‍👤 ninja');
  });
});
