import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestUser } from '@box-im/im-platform/testing';
import { startS3rver } from '../storage/s3-server';
import { makeAnimatedGif, makePng, makeRotatedJpeg, makeWebp } from './media-fixtures';
import { STORAGES, dimensions, fetchUrl, startFileServer, upload } from './support';

describe.each(STORAGES)('image upload on %s storage', (kind) => {
  let t: TestApp;
  let alice: TestUser;
  beforeAll(async () => {
    t = await startFileServer(kind);
    alice = await t.newUser('img');
  });
  afterAll(() => t?.close());

  const cases = [
    {
      name: 'photo.png',
      make: () => makePng(640, 480),
      mime: 'image/png',
      width: 640,
      height: 480,
      thumbMime: 'image/jpeg',
    },
    // Stored 800×600 with EXIF orientation 6: displayed (and thumbnailed) portrait.
    {
      name: 'camera.jpg',
      make: makeRotatedJpeg,
      mime: 'image/jpeg',
      width: 600,
      height: 800,
      thumbMime: 'image/jpeg',
    },
    {
      name: 'anim.gif',
      make: makeAnimatedGif,
      mime: 'image/gif',
      width: 320,
      height: 240,
      thumbMime: 'image/webp',
    },
    {
      name: 'alpha.webp',
      make: () => makeWebp(500, 400),
      mime: 'image/webp',
      width: 500,
      height: 400,
      thumbMime: 'image/webp',
    },
  ];

  it.each(cases)(
    '$name: real size, thumbnail within thumbSize, both URLs served with their type',
    async (c) => {
      const bytes = await c.make();
      expect(bytes.length).toBeGreaterThan(50 * 1024);
      const res = await upload(alice, '/image/upload?isPermanent=false&thumbSize=50', {
        bytes,
        name: c.name,
        type: 'application/octet-stream',
      });
      expect(res.code, res.message).toBe(200);
      const vo = res.data as { originUrl: string; thumbUrl: string; width: number; height: number };
      expect({ width: vo.width, height: vo.height }).toEqual({ width: c.width, height: c.height });
      expect(vo.originUrl).toMatch(
        /^http:\/\/127\.0\.0\.1:\d+\/files\/image\/\d{8}\/[0-9a-f]{32}\.(png|jpg|gif|webp)$/,
      );
      expect(vo.thumbUrl).not.toBe(vo.originUrl);

      const origin = await fetchUrl(vo.originUrl);
      expect(origin.status).toBe(200);
      expect(origin.type).toBe(c.mime);
      expect(origin.bytes.equals(bytes)).toBe(true);

      const thumb = await fetchUrl(vo.thumbUrl);
      expect(thumb.status).toBe(200);
      expect(thumb.type).toBe(c.thumbMime);
      expect(thumb.bytes.length).toBeLessThanOrEqual(50 * 1024);
      const td = await dimensions(thumb.bytes);
      // Same aspect as the displayed image (EXIF applied), within rounding.
      expect(Math.abs(td.width / td.height - c.width / c.height)).toBeLessThan(0.02);
    },
  );

  it('honours a smaller thumbSize (avatars use 20)', async () => {
    const res = await upload(alice, '/image/upload?thumbSize=20', {
      bytes: await makePng(900, 700),
      name: 'avatar.png',
    });
    expect(res.code, res.message).toBe(200);
    const thumb = await fetchUrl((res.data as { thumbUrl: string }).thumbUrl);
    expect(thumb.bytes.length).toBeLessThanOrEqual(20 * 1024);
  });

  it('uses the original as its own thumbnail when it is already small', async () => {
    const small = await makePng(40, 30);
    const res = await upload(alice, '/image/upload', { bytes: small, name: 'tiny.png' });
    expect(res.code, res.message).toBe(200);
    const vo = res.data as { originUrl: string; thumbUrl: string; width: number; height: number };
    expect(vo.thumbUrl).toBe(vo.originUrl);
    expect([vo.width, vo.height]).toEqual([40, 30]);
  });
  // X-Forwarded-Proto/Host (believed only from TRUST_PROXY): test/security/rate-limits.test.ts.
});

describe('S3 with S3_PUBLIC_URL: URLs point at the bucket directly', () => {
  it('returns public object URLs that fetch without the platform', async () => {
    const s3 = await startS3rver();
    const t = await startTestApp({
      env: { ...s3.env, S3_PUBLIC_URL: `${s3.endpoint}/${s3.bucket}` },
      listen: true,
    });
    try {
      const u = await t.newUser('pub');
      const res = await upload(u, '/image/upload', { bytes: await makePng(300, 200), name: 'p.png' });
      expect(res.code, res.message).toBe(200);
      const vo = res.data as { originUrl: string; thumbUrl: string };
      expect(vo.originUrl.startsWith(`${s3.endpoint}/${s3.bucket}/image/`)).toBe(true);
      const got = await fetchUrl(vo.thumbUrl);
      expect(got.status).toBe(200);
      expect(got.type).toBe('image/jpeg');
    } finally {
      await t.close();
      await s3.close();
    }
  });
});
