import { createHash } from 'node:crypto';
import { BusLock } from '@box-im/im-bus';
import { FileType } from '@box-im/im-common';
import { ENGINES, type Engine, type TestApp, type TestUser } from '@box-im/im-platform/testing';
import { PlatformKey } from '../../src/bus-keys';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeJpeg, makeMp4, makePng } from './media-fixtures';
import { fetchUrl, keyOfUrl, startFileServer, upload, type StorageKind } from './support';

const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');
const DAY = 86_400_000;

const COMBOS: [Engine, StorageKind][] = [
  ...ENGINES.map((e): [Engine, StorageKind] => [e, 'disk']),
  ['sqlite', 's3rver'],
];

describe.each(COMBOS)('dedup and expiry (%s, %s storage)', (engine, kind) => {
  let t: TestApp;
  let carol: TestUser;
  beforeAll(async () => {
    t = await startFileServer(kind, engine);
    carol = await t.newUser('dx');
  });
  afterAll(() => t?.close());

  const repo = () => t.running.ctx.repos.fileInfos;
  const storage = () => t.running.ctx.storage;
  const rowCount = async (hash: string) =>
    (await t.running.ctx.db.db.selectFrom('im_file_info').select('id').where('md5', '=', hash).execute())
      .length;
  const expiryJob = () => t.running.ctx.jobs.find((j) => j.name === 'file-expiry')!;

  it('same image bytes → same URLs and one row; isPermanent only ever raised; upload time refreshed', async () => {
    const bytes = await makePng(400, 300);
    const first = await upload(carol, '/image/upload?isPermanent=false', { bytes, name: 'a.png' });
    const again = await upload(carol, '/image/upload?isPermanent=false', { bytes, name: 'renamed.png' });
    expect(again.data).toEqual(first.data);
    expect(await rowCount(md5(bytes))).toBe(1);
    const row = (await repo().findByMd5(md5(bytes), FileType.IMAGE))!;
    expect(row.is_permanent).toBe(0);

    const old = new Date(Date.now() - 10 * DAY);
    await repo().setUploadTime(row.id, old);
    await upload(carol, '/image/upload?isPermanent=true', { bytes, name: 'a.png' });
    const raised = (await repo().findById(row.id))!;
    expect(raised.is_permanent).toBe(1);
    expect(raised.upload_time.getTime()).toBeGreaterThan(old.getTime() + DAY);

    await upload(carol, '/image/upload?isPermanent=false', { bytes, name: 'a.png' });
    expect((await repo().findById(row.id))!.is_permanent).toBe(1);
  });

  it("another user's identical bytes get their own key and row; the first uploader still gets the hit", async () => {
    const dave = await t.newUser('dy');
    const image = await makePng(300, 200);
    const file = Buffer.from(`contract ${Math.random()}`);
    const a = await upload(carol, '/image/upload?isPermanent=false', { bytes: image, name: 'a.png' });
    const aFile = await upload(carol, '/file/upload', { bytes: file, name: 'contract.txt' });
    const aRow = (await repo().findByMd5(md5(image), FileType.IMAGE))!;
    const old = new Date(Date.now() - 30 * DAY);
    await repo().setUploadTime(aRow.id, old);

    // Dave learns nothing about Carol's upload: not her key, not her date, and her row is untouched.
    const b = await upload(dave, '/image/upload?isPermanent=true', { bytes: image, name: 'b.png' });
    const bFile = await upload(dave, '/file/upload', { bytes: file, name: 'contract.txt' });
    expect(b.code, b.message).toBe(200);
    const aImage = a.data as { originUrl: string; thumbUrl: string };
    const bImage = b.data as { originUrl: string; thumbUrl: string };
    expect(bImage.originUrl).not.toBe(aImage.originUrl);
    expect(bImage.thumbUrl).not.toBe(aImage.thumbUrl);
    expect(bFile.data).not.toBe(aFile.data);
    expect(await rowCount(md5(image))).toBe(2);
    const untouched = (await repo().findById(aRow.id))!;
    expect(Math.abs(untouched.upload_time.getTime() - old.getTime())).toBeLessThan(1000); // MySQL: seconds
    expect(untouched.is_permanent).toBe(0);
    expect((await fetchUrl(bImage.originUrl)).bytes.equals(image)).toBe(true);

    // Carol uploading the same bytes again is a hit on her own row.
    const again = await upload(carol, '/image/upload?isPermanent=false', { bytes: image, name: 'a.png' });
    expect(again.data).toEqual(a.data);
    const againFile = await upload(carol, '/file/upload', { bytes: file, name: 'x.txt' });
    expect(againFile.data).toBe(aFile.data);
    expect((await repo().findById(aRow.id))!.upload_time.getTime()).toBeGreaterThan(old.getTime() + DAY);
    expect(await rowCount(md5(image))).toBe(2);
    const rows = await t.running.ctx.db.db
      .selectFrom('im_file_info')
      .select(['uploader_id', 'sha256', 'file_size'])
      .where('md5', '=', md5(image))
      .orderBy('id')
      .execute();
    expect(rows.map((r) => Number(r.uploader_id))).toEqual([carol.id, dave.id]);
    expect(rows[0]!.sha256).toBe(createHash('sha256').update(image).digest('hex'));
    expect(Number(rows[0]!.file_size)).toBe(image.length);
  });

  it('same file bytes → same URL', async () => {
    const bytes = Buffer.from(`report ${Date.now()}`);
    const a = await upload(carol, '/file/upload', { bytes, name: 'report.txt' });
    const b = await upload(carol, '/file/upload', { bytes, name: 'other-name.txt' });
    expect(a.code, a.message).toBe(200);
    expect(b.data).toBe(a.data);
    expect(await rowCount(md5(bytes))).toBe(1);
  });

  it('expiry deletes old temporary uploads with their thumbnails and covers, keeps permanent and recent ones', async () => {
    const tempImage = await makePng(500, 400);
    const permImage = await makeJpeg(500, 400);
    const tempFile = Buffer.from(`temp file ${Math.random()}`);
    const recentFile = Buffer.from(`recent file ${Math.random()}`);
    const video = makeMp4(2, 320, 240, 2048);
    const img = (await upload(carol, '/image/upload?isPermanent=false', { bytes: tempImage, name: 't.png' }))
      .data as { originUrl: string; thumbUrl: string };
    const perm = (await upload(carol, '/image/upload?isPermanent=true', { bytes: permImage, name: 'p.jpg' }))
      .data as { originUrl: string; thumbUrl: string };
    const file = (await upload(carol, '/file/upload', { bytes: tempFile, name: 't.txt' })).data as string;
    const recent = (await upload(carol, '/file/upload', { bytes: recentFile, name: 'r.txt' })).data as string;
    const vid = (
      await upload(
        carol,
        '/video/upload',
        { bytes: video, name: 'v.mp4' },
        { field: 'cover', bytes: await makeJpeg(320, 240), name: 'c.jpg' },
      )
    ).data as { videoUrl: string; coverUrl: string };
    expect(img.thumbUrl).not.toBe(img.originUrl);

    const old = new Date(Date.now() - 181 * DAY);
    for (const [bytes, type] of [
      [tempImage, FileType.IMAGE],
      [permImage, FileType.IMAGE],
      [tempFile, FileType.FILE],
      [video, FileType.VIDEO],
    ] as const) {
      await repo().setUploadTime((await repo().findByMd5(md5(bytes), type))!.id, old);
    }
    await expiryJob().runNow!();

    for (const url of [img.originUrl, img.thumbUrl, file, vid.videoUrl, vid.coverUrl]) {
      expect(await storage().exists(keyOfUrl(url)), url).toBe(false);
      expect((await fetchUrl(url)).status, url).toBe(404);
    }
    for (const url of [perm.originUrl, perm.thumbUrl, recent]) {
      expect((await fetchUrl(url)).status, url).toBe(200);
    }
    expect(await repo().findByMd5(md5(tempImage), FileType.IMAGE)).toBeUndefined();
    expect(await repo().findByMd5(md5(video), FileType.VIDEO)).toBeUndefined();
    expect(await repo().findByMd5(md5(permImage), FileType.IMAGE)).toBeDefined();
    expect(await repo().findByMd5(md5(recentFile), FileType.FILE)).toBeDefined();
  });

  it('expiry finishes when objects are already gone or rows hold foreign URLs (no endless loop)', async () => {
    const old = new Date(Date.now() - 365 * DAY);
    const paths = [
      ...Array.from({ length: 230 }, (_, i) => `file/20200101/${i.toString(16).padStart(32, '0')}.bin`),
      'http://minio.example.com/box-im/image/20240101/1234567890.jpg', // a box-im row
      'https://elsewhere.example.com/whatever/Страница.JPG',
    ];
    for (const path of paths) {
      await repo().insert({
        fileName: 'x',
        filePath: path,
        fileSize: 1,
        fileType: FileType.FILE,
        compressedPath: null,
        coverPath: null,
        isPermanent: false,
        md5: 'gone',
        sha256: 'gone',
        uploaderId: carol.id,
        uploadTime: old,
      });
    }
    const started = Date.now();
    const report = await t.running.ctx.services.fileCleanup.expire();
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(report.failed).toBe(0);
    expect(report.rows).toBeGreaterThanOrEqual(paths.length);
    expect(await rowCount('gone')).toBe(0);
  });

  it('runs on one process at a time: a held lock makes the pass skip, not wait', async () => {
    const bytes = Buffer.from(`locked ${Math.random()}`);
    await upload(carol, '/file/upload', { bytes, name: 'l.txt' });
    const row = (await repo().findByMd5(md5(bytes), FileType.FILE))!;
    await repo().setUploadTime(row.id, new Date(Date.now() - 200 * DAY));

    const other = new BusLock(t.running.ctx.bus, PlatformKey.lock('task:file'), 10_000);
    expect(await other.tryAcquire()).toBe(true);
    const started = Date.now();
    await expiryJob().runNow!();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await repo().findById(row.id)).toBeDefined();

    await other.release();
    await expiryJob().runNow!();
    expect(await repo().findById(row.id)).toBeUndefined();
  });
});
