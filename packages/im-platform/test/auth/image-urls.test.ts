/**
 * Avatars of users and groups (issue 9, item 11): only http(s) URLs or our own `/files/`
 * uploads; `javascript:`, `data:` and other strings are refused with a clear message.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestUser } from '@box-im/im-platform/testing';
import { isImageUrl } from '../../src/services/image-url';

const BAD = [
  'javascript:alert(1)',
  'JavaScript:alert(document.cookie)',
  'data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=',
  'vbscript:msgbox',
  'file:///etc/passwd',
  '//evil.example/a.png',
  'not a url',
  'ftp://host/a.png',
  'https://user:pass@evil.example/a.png',
  '/files/../api/user/self',
  '/api/user/self',
  'https://',
];
const GOOD = [
  '',
  'https://cdn.example.com/a.png',
  'http://127.0.0.1:8080/files/image/20260101/abc.png',
  '/files/image/20260101/abc.png',
  '/files/image/20260101/abc.png?x=1',
];

describe('avatar URLs', () => {
  let t: TestApp;
  let u: TestUser;
  beforeAll(async () => {
    t = await startTestApp();
    u = await t.newUser('img');
  });
  afterAll(() => t.close());

  it('knows which addresses are images', () => {
    for (const v of BAD) expect(isImageUrl(v), v).toBe(false);
    for (const v of GOOD) expect(isImageUrl(v), v).toBe(true);
  });

  it.each(BAD)('refuses %j as a user avatar, keeping the old one', async (bad) => {
    for (const field of ['headImage', 'headImageThumb']) {
      const res = await u.api.put('/user/update', { id: u.id, nickName: 'n', [field]: bad });
      expect(res).toMatchObject({
        code: 500,
        message: `${field} 必须是 http(s) 图片地址或本站上传的图片（/files/…）`,
      });
      expect(res.headers.get('x-error-key')).toBe('BAD_IMAGE_URL');
    }
    const self = (await u.api.get('/user/self')).data;
    expect(self.headImage).not.toBe(bad);
    expect(self.headImageThumb).not.toBe(bad);
  });

  it('accepts http(s) and /files/ avatars for users and groups', async () => {
    for (const good of GOOD) {
      const res = await u.api.put('/user/update', {
        id: u.id,
        nickName: 'n',
        headImage: good,
        headImageThumb: good,
      });
      expect(res.code, `${good}: ${res.message}`).toBe(200);
      expect((await u.api.get('/user/self')).data).toMatchObject({ headImage: good, headImageThumb: good });
      const g = await u.api.post('/group/create', { name: 'g', headImage: good, headImageThumb: good });
      expect(g.code, g.message).toBe(200);
      expect(g.data).toMatchObject({ headImage: good, headImageThumb: good });
    }
  });

  it('refuses bad avatars on group create and modify, in English too', async () => {
    const g = (await u.api.post('/group/create', { name: 'grp' })).data;
    for (const bad of BAD) {
      const created = await u.api.post('/group/create', { name: 'x', headImage: bad });
      expect(created.headers.get('x-error-key'), bad).toBe('BAD_IMAGE_URL');
      const modified = await u.api.put('/group/modify', { ...g, headImageThumb: bad });
      expect(modified.headers.get('x-error-key'), bad).toBe('BAD_IMAGE_URL');
    }
    const en = await u.api.as(u.api.accessToken, 'en').post('/group/create', {
      name: 'x',
      headImage: 'javascript:alert(1)',
    });
    expect(en.message).toBe('headImage must be an http(s) image URL or an image uploaded here (/files/…)');
    expect((await u.api.get(`/group/find/${g.id}`)).data.headImageThumb).toBe('');
  });

  it('lets a stored legacy value be posted back unchanged (clients post whole objects)', async () => {
    const g = (await u.api.post('/group/create', { name: 'old' })).data;
    await t.running.ctx.db.db
      .updateTable('im_group')
      .set({ head_image: 'legacy-value' })
      .where('id', '=', g.id)
      .execute();
    const group = (await u.api.get(`/group/find/${g.id}`)).data;
    const res = await u.api.put('/group/modify', { ...group, notice: 'still saves' });
    expect(res.code, res.message).toBe(200);
  });
});
