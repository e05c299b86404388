/**
 * Uploads without a token (issue 9, item 13). box-im's mobile app sends images and files
 * without its token. Uploads stay authenticated by default (refusals are logged at warn);
 * with ANONYMOUS_UPLOADS=on they are accepted, limited per IP in count and bytes (across
 * processes through Redis), and deleted unless a message or profile refers to them within
 * ANONYMOUS_UPLOAD_CLAIM_SECONDS (one hour).
 */
import { randomBytes } from 'node:crypto';
import { FileType, MessageType } from '@box-im/im-common';
import {
  ENGINES,
  REDIS_URL,
  startTestApp,
  type ApiResult,
  type TestApp,
  type TestUser,
} from '@box-im/im-platform/testing';
import { captureLogs } from '@box-im/im-process/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePng } from './media-fixtures';
import { fetchUrl, form, keyOfUrl, startFileServer, type Part } from './support';

const HOUR = 3600_000;

/** An upload the way box-im's app makes it: multipart, no `accessToken` header. */
function anonymousUpload<T = unknown>(t: TestApp, path: string, part: Part): Promise<ApiResult<T>> {
  return t.anon.post<T>(path, form(part));
}

const textFile = (size = 100) => ({ bytes: randomBytes(size), name: 'notes.txt' });

describe('uploads without a token, ANONYMOUS_UPLOADS off (the default)', () => {
  let t: TestApp;
  const { logger, entries: warnings } = captureLogs('warn');
  beforeAll(async () => {
    t = await startTestApp({ logger });
  });
  afterAll(() => t?.close());

  it('refuses them with 400 未登录 and logs a warning that names the setting', async () => {
    for (const path of ['/image/upload', '/file/upload', '/video/upload']) {
      const res = await anonymousUpload(t, path, { bytes: await makePng(20, 20), name: 'a.png' });
      expect(res, path).toMatchObject({ code: 400, message: '未登录', data: null });
    }
    const refusals = warnings.filter((w) => w.level === 40 && /ANONYMOUS_UPLOADS/.test(w.msg));
    expect(refusals.map((w) => w['route'])).toEqual(['image', 'file']);
    expect(refusals[0]!['ip']).toBe('127.0.0.1');
    expect(await t.running.ctx.db.db.selectFrom('im_file_info').select('id').execute()).toEqual([]);
  });

  it('still takes uploads with a token', async () => {
    const u = await t.newUser('tok');
    const res = await u.api.post('/file/upload', form(textFile()));
    expect(res.code, res.message).toBe(200);
  });
});

describe.each(ENGINES)('ANONYMOUS_UPLOADS=on (%s)', (engine) => {
  let t: TestApp;
  let alice: TestUser;
  let bob: TestUser;
  beforeAll(async () => {
    t = await startFileServer('disk', engine, { ANONYMOUS_UPLOADS: 'on' });
    alice = await t.newUser('an');
    bob = await t.newUser('an');
    await t.befriend(alice, bob);
  });
  afterAll(() => t?.close());

  const db = () => t.running.ctx.db.db;
  const pending = async () =>
    (await db().selectFrom('im_file_anonymous').select('file_id').execute()).map((r) => Number(r.file_id));
  const rowOf = (url: string) =>
    db().selectFrom('im_file_info').selectAll().where('file_path', '=', keyOfUrl(url)).executeTakeFirst();

  it('accepts images and files as box-im app sends them; never for videos; a bad token is still refused', async () => {
    const image = await anonymousUpload<{ originUrl: string; thumbUrl: string }>(
      t,
      '/image/upload?isPermanent=false&thumbSize=50',
      { bytes: await makePng(300, 200), name: 'photo.png' },
    );
    expect(image.code, image.message).toBe(200);
    expect((await fetchUrl(image.data!.originUrl)).status).toBe(200);
    const file = await anonymousUpload<string>(t, '/file/upload', textFile());
    expect(file).toMatchObject({ code: 200, message: '' });
    for (const url of [image.data!.originUrl, file.data!]) {
      const row = (await rowOf(url))!;
      expect(row.uploader_id).toBeNull();
      expect(await pending()).toContain(Number(row.id));
    }

    const video = await anonymousUpload(t, '/video/upload', { bytes: Buffer.from('x'), name: 'v.mp4' });
    expect(video).toMatchObject({ code: 400, message: '未登录' });
    const forged = await t.anon.as('not-a-token').post('/file/upload', form(textFile()));
    expect(forged.code).toBe(401);

    // Anonymous uploads are never de-duplicated: the same bytes get a new key.
    const bytes = randomBytes(64);
    const a = await anonymousUpload<string>(t, '/file/upload', { bytes, name: 'x.bin' });
    const b = await anonymousUpload<string>(t, '/file/upload', { bytes, name: 'x.bin' });
    expect(a.data).not.toBe(b.data);
  });

  it('keeps what a message or profile refers to within the hour, and deletes the rest', async () => {
    const png = async () => makePng(300, 200);
    type ImageVO = { originUrl: string; thumbUrl: string; width: number; height: number };
    const up = async (path: string, part: Part) => {
      const res = await anonymousUpload<ImageVO | string>(t, path, part);
      expect(res.code, res.message).toBe(200);
      return res.data!;
    };
    const inPrivate = (await up('/image/upload?isPermanent=false', {
      bytes: await png(),
      name: 'a.png',
    })) as ImageVO;
    const userHead = (await up('/image/upload?isPermanent=true&thumbSize=20', {
      bytes: await png(),
      name: 'b.png',
    })) as ImageVO;
    const groupHead = (await up('/image/upload?isPermanent=true', {
      bytes: await png(),
      name: 'c.png',
    })) as ImageVO;
    const inGroup = (await up('/file/upload', textFile(300))) as string;
    const voice = (await up('/file/upload', {
      bytes: randomBytes(500),
      name: '1732600000000.mp3',
    })) as string;
    const unusedImage = (await up('/image/upload?isPermanent=false', {
      bytes: await png(),
      name: 'd.png',
    })) as ImageVO;
    const unusedFile = (await up('/file/upload', textFile(200))) as string;
    const uploadedAt = Date.now();

    const send = async (res: Promise<ApiResult>) => expect((await res).code).toBe(200);
    await send(
      alice.api.post('/message/private/send', {
        recvId: bob.id,
        type: MessageType.IMAGE,
        content: JSON.stringify(inPrivate),
      }),
    );
    await send(
      bob.api.post('/message/private/send', {
        recvId: alice.id,
        type: MessageType.AUDIO,
        content: JSON.stringify({ duration: 3, url: voice }),
      }),
    );
    await send(
      alice.api.put('/user/update', {
        id: alice.id,
        nickName: alice.nickName,
        headImage: userHead.originUrl,
        headImageThumb: userHead.thumbUrl,
      }),
    );
    const group = await alice.api.post<{ id: number }>('/group/create', { name: 'anon-uploads' });
    expect(group.code, group.message).toBe(200);
    await send(
      alice.api.put('/group/modify', {
        id: group.data!.id,
        name: 'anon-uploads',
        headImage: groupHead.originUrl,
        headImageThumb: groupHead.thumbUrl,
      }),
    );
    await send(
      alice.api.post('/message/group/send', {
        groupId: group.data!.id,
        type: MessageType.FILE,
        content: JSON.stringify({ name: 'notes.txt', size: 300, url: inGroup }),
      }),
    );

    const cleanup = t.running.ctx.services.fileCleanup;
    // Within the hour nothing is settled (the job's own pass runs with the real time).
    await t.running.ctx.jobs.find((j) => j.name === 'anonymous-uploads')!.runNow!();
    expect(await cleanup.settleAnonymous(new Date(uploadedAt + HOUR - 60_000))).toEqual({
      kept: 0,
      deleted: 0,
      failed: 0,
    });
    expect((await fetchUrl(unusedFile)).status).toBe(200);

    const report = await cleanup.settleAnonymous(new Date(uploadedAt + HOUR + 60_000));
    expect(report.failed).toBe(0);
    expect(report.deleted).toBeGreaterThanOrEqual(2);
    const kept = [
      inPrivate.originUrl,
      inPrivate.thumbUrl,
      userHead.originUrl,
      userHead.thumbUrl,
      groupHead.originUrl,
      inGroup,
      voice,
    ];
    for (const url of kept) expect((await fetchUrl(url)).status, url).toBe(200);
    for (const url of [unusedImage.originUrl, unusedImage.thumbUrl, unusedFile]) {
      expect((await fetchUrl(url)).status, url).toBe(404);
      expect(await rowOf(url), url).toBeUndefined();
    }
    expect((await rowOf(userHead.originUrl))!.is_permanent).toBe(1);
    expect((await rowOf(inGroup))!.file_type).toBe(FileType.FILE);
    expect(await pending()).toEqual([]);
  });
});

describe('per-IP limits of anonymous uploads', () => {
  it('refuses the upload over ANONYMOUS_UPLOAD_MAX_COUNT, logs it, and leaves logged-in users alone', async () => {
    const { logger, entries: warnings } = captureLogs('warn');
    const t = await startTestApp({
      logger,
      env: { ANONYMOUS_UPLOADS: 'on', ANONYMOUS_UPLOAD_MAX_COUNT: '3' },
    });
    try {
      for (let i = 0; i < 3; i++)
        expect((await anonymousUpload(t, '/file/upload', textFile())).code).toBe(200);
      const over = await anonymousUpload(t, '/file/upload', textFile());
      expect(over.code).toBe(500);
      expect(over.message).toBe('未登录上传过于频繁，请登录后再试');
      expect(over.headers.get('x-error-key')).toBe('ANONYMOUS_UPLOAD_LIMIT');
      expect(warnings.some((w) => w.level === 40 && w['ip'] === '127.0.0.1' && /per-IP/.test(w.msg))).toBe(
        true,
      );
      const u = await t.newUser('lim');
      expect((await u.api.post('/file/upload', form(textFile()))).code).toBe(200);
    } finally {
      await t.close();
    }
  });

  it('refuses the upload that goes over ANONYMOUS_UPLOAD_MAX_BYTES, storing nothing of it', async () => {
    const t = await startFileServer('disk', 'sqlite', {
      ANONYMOUS_UPLOADS: 'on',
      ANONYMOUS_UPLOAD_MAX_BYTES: String(40 * 1024),
    });
    try {
      expect((await anonymousUpload(t, '/file/upload', textFile(30 * 1024))).code).toBe(200);
      const over = await anonymousUpload(t, '/file/upload', textFile(30 * 1024));
      expect(over.headers.get('x-error-key')).toBe('ANONYMOUS_UPLOAD_LIMIT');
      const next = await anonymousUpload(t, '/image/upload', { bytes: await makePng(10, 10), name: 'a.png' });
      expect(next.headers.get('x-error-key')).toBe('ANONYMOUS_UPLOAD_LIMIT');
      const rows = await t.running.ctx.db.db.selectFrom('im_file_info').select('id').execute();
      expect(rows).toHaveLength(1);
    } finally {
      await t.close();
    }
  });

  it.skipIf(!REDIS_URL)('counts across platform processes through Redis', async () => {
    const env = {
      ANONYMOUS_UPLOADS: 'on',
      ANONYMOUS_UPLOAD_MAX_COUNT: '3',
      REDIS_KEY_PREFIX: `t${randomBytes(4).toString('hex')}:`,
    };
    const one = await startTestApp({ redis: true, env });
    const two = await startTestApp({ redis: true, env });
    try {
      expect((await anonymousUpload(one, '/file/upload', textFile())).code).toBe(200);
      expect((await anonymousUpload(one, '/file/upload', textFile())).code).toBe(200);
      expect((await anonymousUpload(two, '/file/upload', textFile())).code).toBe(200);
      expect((await anonymousUpload(two, '/file/upload', textFile())).headers.get('x-error-key')).toBe(
        'ANONYMOUS_UPLOAD_LIMIT',
      );
      expect((await anonymousUpload(one, '/file/upload', textFile())).headers.get('x-error-key')).toBe(
        'ANONYMOUS_UPLOAD_LIMIT',
      );
    } finally {
      await one.close();
      await two.close();
    }
  });
});
