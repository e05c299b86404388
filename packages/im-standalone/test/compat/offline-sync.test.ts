/**
 * What box-im's clients rebuild from the server after a reload or on a new device: the offline
 * pulls (`loadOfflineMessage?minId=0`) must carry read state, recalls and receipt counts, or the
 * chat list shows stale unread badges and recalled texts (frontend §4.3–§4.4, backend §5.5, §5.7).
 * Also the browser-facing bits of uploads and CORS (frontend §7).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, type TestUser } from '../../testing';
import { CMD, MT, expectOk, expectVoidOk, isCmdType, web } from './support';

const PNG_1PX = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
const READED = 3;
const RECALL_STATUS = 2;

interface M {
  id: number;
  type: number;
  status: number;
  content: string;
  sendId: number;
  readedCount?: number;
  receiptOk?: boolean;
}

describe('state the clients rebuild from offline pulls', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t?.close();
  });

  async function pair(): Promise<[TestUser, TestUser]> {
    const a = await t.newUser('oa');
    const b = await t.newUser('ob');
    await t.befriend(a, b);
    return [a, b];
  }
  const pullPrivate = async (u: TestUser): Promise<M[]> =>
    expectOk(await web(t, u)<M[]>('get', '/message/private/loadOfflineMessage?minId=0'));
  const pullGroup = async (u: TestUser): Promise<M[]> =>
    expectOk(await web(t, u)<M[]>('get', '/message/group/loadOfflineMessage?minId=0'));

  describe('private chats', () => {
    it('after the receiver read the chat, a reload pulls those messages as READED for both sides (no unread badge, "已读")', async () => {
      const [a, b] = await pair();
      const ws = await b.socket();
      const ids: number[] = [];
      for (const c of ['1', '2'])
        ids.push(
          expectOk(
            await web(t, a)('post', '/message/private/send', {
              data: { recvId: b.id, content: c, type: MT.TEXT },
            }),
          ).id,
        );
      await ws.next(isCmdType(CMD.PRIVATE, MT.TEXT));
      await pullPrivate(b); // Home.vue pulls after every WS login
      expectVoidOk(await web(t, b)('put', `/message/private/readed?friendId=${a.id}`));
      const bView = (await pullPrivate(b)).filter((m) => ids.includes(m.id));
      expect(bView.map((m) => m.status)).toEqual([READED, READED]);
      const aView = (await pullPrivate(a)).filter((m) => ids.includes(m.id));
      expect(aView.map((m) => m.status)).toEqual([READED, READED]);
      ws.close();
    });

    it('a recalled message comes back with the RECALL message (type 10, content = id) after it', async () => {
      const [a, b] = await pair();
      const m = expectOk(
        await web(t, a)('post', '/message/private/send', {
          data: { recvId: b.id, content: 'secret', type: MT.TEXT },
        }),
      );
      expectOk(await web(t, a)('delete', `/message/private/recall/${m.id}`));
      const pulled = await pullPrivate(b);
      const recall = pulled.find((x) => x.type === MT.RECALL);
      expect(recall, 'RECALL message in the offline pull').toBeDefined();
      expect(String(recall!.content)).toBe(String(m.id));
      const orig = pulled.find((x) => x.id === m.id);
      // Either the original is marked recalled, or it is followed by the RECALL that rewrites it.
      if (orig) {
        expect(pulled.indexOf(orig)).toBeLessThan(pulled.indexOf(recall!));
        if (orig.status !== RECALL_STATUS) expect(recall!.id).toBeGreaterThan(orig.id);
      }
    });
  });

  describe('group chats', () => {
    async function team() {
      const [a, b] = await pair();
      const c = await t.newUser('oc');
      await t.befriend(a, c);
      const g = expectOk(await web(t, a)('post', '/group/create?groupName=sync', { data: { name: 'sync' } }));
      expectVoidOk(
        await web(t, a)('post', '/group/invite', { data: { groupId: g.id, friendIds: [b.id, c.id] } }),
      );
      return { a, b, c, g };
    }
    const gsend = async (u: TestUser, groupId: number, content: string, receipt = false) =>
      expectOk(
        await web(t, u)('post', '/message/group/send', {
          data: { groupId, content, type: MT.TEXT, receipt, atUserIds: [] },
        }),
      ).id as number;

    it('a reload pulls group messages up to my read position as READED and later ones as not read', async () => {
      const { a, b, g } = await team();
      const m1 = await gsend(a, g.id, 'one');
      const m2 = await gsend(a, g.id, 'two');
      const m3 = await gsend(a, g.id, 'three');
      expectVoidOk(await web(t, b)('put', `/message/group/readed?groupId=${g.id}&messageId=${m2}`));
      const pulled = await pullGroup(b);
      const status = (id: number) => pulled.find((m) => m.id === id)?.status;
      expect([status(m1), status(m2)]).toEqual([READED, READED]);
      expect(status(m3)).not.toBe(READED);
    });

    it('@ mentions come back as a numeric atUserIds array (insertMessage uses indexOf(myId) / indexOf(-1))', async () => {
      const { a, b, g } = await team();
      const id = expectOk(
        await web(t, a)('post', '/message/group/send', {
          data: {
            groupId: g.id,
            content: '@b @all',
            type: MT.TEXT,
            receipt: false,
            atUserIds: [String(b.id), '-1'],
          },
        }),
      ).id as number;
      const pulled = (await pullGroup(b)).find((m) => m.id === id) as M & { atUserIds: unknown };
      expect(Array.isArray(pulled.atUserIds)).toBe(true);
      const ats = pulled.atUserIds as unknown[];
      expect(ats.every((x) => typeof x === 'number')).toBe(true);
      expect(ats).toContain(b.id);
      expect(ats).toContain(-1);
    });

    it('my own receipt message comes back with readedCount and receiptOk (the "N人已读" label)', async () => {
      const { a, b, c, g } = await team();
      const id = await gsend(a, g.id, 'receipt', true);
      expectVoidOk(await web(t, b)('put', `/message/group/readed?groupId=${g.id}&messageId=${id}`));
      let mine = (await pullGroup(a)).find((m) => m.id === id)!;
      expect(mine).toMatchObject({ readedCount: 1, receiptOk: false });
      expectVoidOk(await web(t, c)('put', `/message/group/readed?groupId=${g.id}&messageId=${id}`));
      mine = (await pullGroup(a)).find((m) => m.id === id)!;
      expect(mine).toMatchObject({ readedCount: 2, receiptOk: true });
    });

    it('a recalled group message comes back with the RECALL message (type 10, content = id)', async () => {
      const { a, b, g } = await team();
      const id = await gsend(a, g.id, 'secret');
      expectOk(await web(t, a)('delete', `/message/group/recall/${id}`));
      const recall = (await pullGroup(b)).find((m) => m.type === MT.RECALL);
      expect(recall).toBeDefined();
      expect(String(recall!.content)).toBe(String(id));
    });

    it('messages sent before I joined are not pulled; messages after are', async () => {
      const { a, g } = await team();
      const before = await gsend(a, g.id, 'before');
      const d = await t.newUser('od');
      await t.befriend(a, d);
      expectVoidOk(await web(t, a)('post', '/group/invite', { data: { groupId: g.id, friendIds: [d.id] } }));
      const after = await gsend(a, g.id, 'after');
      const ids = (await pullGroup(d)).map((m) => m.id);
      expect(ids).not.toContain(before);
      expect(ids).toContain(after);
    });
  });

  describe('uploads as the browser uses them', () => {
    it('the returned originUrl/thumbUrl and file URL are fetchable as is (<img src>, <a href download>)', async () => {
      const [a] = await pair();
      // Setting.vue avatar: /image/upload?thumbSize=20&isPermanent=true; FileUpload.vue appends isPermanent.
      const form = new FormData();
      form.append('file', new Blob([PNG_1PX], { type: 'image/png' }), 'avatar.png');
      const img = (await (
        await fetch(`${t.url}/api/image/upload?thumbSize=20&isPermanent=true`, {
          method: 'POST',
          headers: { accessToken: a.api.accessToken! },
          body: form,
        })
      ).json()) as { code: number; data: { originUrl: string; thumbUrl: string } };
      expect(img.code).toBe(200);
      for (const url of [img.data.originUrl, img.data.thumbUrl]) {
        const got = await fetch(url);
        expect(got.status, url).toBe(200);
        expect(got.headers.get('content-type') ?? '').toMatch(/^image\//);
      }
      const fform = new FormData();
      fform.append('file', new Blob(['a,b\n1,2\n'], { type: 'text/csv' }), 'data.csv');
      const file = (await (
        await fetch(`${t.url}/api/file/upload?isPermanent=false`, {
          method: 'POST',
          headers: { accessToken: a.api.accessToken! },
          body: fform,
        })
      ).json()) as { code: number; data: string };
      expect(file.code).toBe(200);
      const got = await fetch(file.data);
      expect(got.status).toBe(200);
      expect(await got.text()).toBe('a,b\n1,2\n');
    });
  });

  describe('cross-origin web deployment (frontend §7: axios withCredentials)', () => {
    it('with CORS_ORIGINS set, a DELETE-with-JSON-body preflight echoes the origin with credentials and allows accessToken/refreshToken', async () => {
      const origin = 'http://localhost:8080';
      const s = await startTestServer({ env: { CORS_ORIGINS: origin } });
      try {
        const pre = await fetch(`${s.url}/api/group/members/remove`, {
          method: 'OPTIONS',
          headers: {
            origin,
            'access-control-request-method': 'DELETE',
            'access-control-request-headers': 'accesstoken,content-type',
          },
        });
        expect(pre.status).toBeLessThan(300);
        expect(pre.headers.get('access-control-allow-origin')).toBe(origin);
        expect(pre.headers.get('access-control-allow-credentials')).toBe('true');
        const allowHeaders = (pre.headers.get('access-control-allow-headers') ?? '').toLowerCase();
        expect(allowHeaders).toContain('accesstoken');
        expect(allowHeaders).toContain('content-type');
        expect((pre.headers.get('access-control-allow-methods') ?? '').toUpperCase()).toContain('DELETE');
        const pre2 = await fetch(`${s.url}/api/refreshToken`, {
          method: 'OPTIONS',
          headers: {
            origin,
            'access-control-request-method': 'PUT',
            'access-control-request-headers': 'refreshtoken',
          },
        });
        expect((pre2.headers.get('access-control-allow-headers') ?? '').toLowerCase()).toContain(
          'refreshtoken',
        );
        const u = await s.newUser('cors');
        const real = await fetch(`${s.url}/api/user/self`, {
          headers: { origin, accessToken: u.api.accessToken! },
        });
        expect(real.headers.get('access-control-allow-origin')).toBe(origin);
        expect(real.headers.get('access-control-allow-credentials')).toBe('true');
      } finally {
        await s.close();
      }
    });
  });
});
