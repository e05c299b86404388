import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, type TestApp, type TestUser } from '@box-im/im-platform/testing';
import { makeJpeg, makeMp4, makePng, makeWav } from './media-fixtures';
import { fetchUrl, form, startFileServer, upload } from './support';

const MiB = 1024 * 1024;

describe('uploads: who, how big, what', () => {
  let t: TestApp;
  let bob: TestUser;
  beforeAll(async () => {
    t = await startFileServer('disk');
    bob = await t.newUser('up');
  });
  afterAll(() => t?.close());

  it.each(['/image/upload', '/file/upload', '/video/upload'])(
    '%s refuses callers without a valid token',
    async (path) => {
      const anon = await t.anon.post(path, form({ bytes: await makePng(20, 20), name: 'a.png' }));
      expect(anon.code).toBe(400);
      expect(anon.message).toBe('未登录');
      const forged = await new ApiClient(t.url, 'not-a-token').post(
        path,
        form({ bytes: await makePng(20, 20), name: 'a.png' }),
      );
      expect(forged.code).toBe(401);
    },
  );

  it('refuses 21 MiB with the limit in the message, for images and files', async () => {
    const big = Buffer.alloc(21 * MiB, 7);
    const image = await upload(bob, '/image/upload', { bytes: big, name: 'big.png' });
    expect(image.code).toBe(500);
    expect(image.message).toBe('图片大小不能超过20M');
    expect(image.headers.get('x-error-key')).toBe('IMAGE_TOO_LARGE');
    const file = await upload(bob, '/file/upload', { bytes: big, name: 'big.zip' });
    expect(file.message).toBe('文件大小不能超过20M');
    const en = await bob.api.request('POST', '/file/upload', form({ bytes: big, name: 'big.zip' }), {
      'x-im-language': 'en',
    });
    expect(en.message).toBe('The file must not be larger than 20M');
  });

  it('accepts exactly 20 MiB', async () => {
    const res = await upload(bob, '/file/upload', { bytes: Buffer.alloc(20 * MiB, 1), name: 'exact.bin' });
    expect(res.code, res.message).toBe(200);
  });

  it('refuses a text file named x.png as an image, and never serves it as one', async () => {
    const text = Buffer.from('just some text, not a picture\n'.repeat(10));
    const image = await upload(bob, '/image/upload', { bytes: text, name: 'x.png', type: 'image/png' });
    expect(image.code).toBe(500);
    expect(image.message).toBe('图片格式不合法');
    expect(image.headers.get('x-error-key')).toBe('IMAGE_FORMAT');

    const file = await upload(bob, '/file/upload', { bytes: text, name: 'x.png', type: 'image/png' });
    expect(file.code, file.message).toBe(200);
    expect(file.message).toBe('');
    expect(file.data).toMatch(/\/files\/file\/\d{8}\/[0-9a-f]{32}\.bin$/);
    const served = await fetchUrl(file.data as string);
    expect(served.type).toBe('application/octet-stream');
    expect(served.headers.get('content-disposition')).toBe('attachment');
  });

  it('refuses SVG (script-capable) as an image', async () => {
    const svg = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>',
    );
    const res = await upload(bob, '/image/upload', { bytes: svg, name: 'x.svg' });
    expect(res.message).toBe('图片格式不合法');
  });

  it('stores files with hostile names under generated keys only', async () => {
    for (const name of [
      '../../etc/passwd',
      '..\\..\\boot.ini',
      '/etc/shadow',
      'a/../../../b.txt',
      '%2e%2e%2fx',
    ]) {
      const res = await upload(bob, '/file/upload', { bytes: Buffer.from(`content of ${name}`), name });
      expect(res.code, `${name}: ${res.message}`).toBe(200);
      expect(res.data).toMatch(/\/files\/file\/\d{8}\/[0-9a-f]{32}\.[a-z0-9]{1,10}$/);
      expect((await fetchUrl(res.data as string)).bytes.toString()).toBe(`content of ${name}`);
    }
    // Nothing was written outside <DATA_DIR>/files.
    const dataDir = t.running.ctx.config.DATA_DIR;
    expect(readdirSync(dataDir).sort()).toEqual(['files']);
    expect(readdirSync(join(dataDir, 'files')).sort()).toEqual(['file']);
  });

  it('refuses file names over 128 characters', async () => {
    const res = await upload(bob, '/file/upload', {
      bytes: Buffer.from('x'),
      name: `${'名'.repeat(129)}.txt`,
    });
    expect(res.message).toBe('文件名长度不能超过128');
  });

  it('says which part is missing or unexpected, and refuses non-multipart bodies', async () => {
    const missing = await upload(bob, '/image/upload', {
      field: 'image',
      bytes: await makePng(10, 10),
      name: 'a.png',
    });
    expect(missing.headers.get('x-error-key')).toBe('UNEXPECTED_PART');
    const none = await bob.api.post('/file/upload', new FormData());
    expect(none.headers.get('x-error-key')).toBe('FILE_MISSING');
    const json = await bob.api.post('/file/upload', { file: 'x' });
    expect(json.headers.get('x-error-key')).toBe('NOT_MULTIPART');
    const empty = await upload(bob, '/file/upload', { bytes: Buffer.alloc(0), name: 'empty.txt' });
    expect(empty.headers.get('x-error-key')).toBe('FILE_EMPTY');
  });

  it('rejects bad query parameters by name', async () => {
    const res = await upload(bob, '/image/upload?thumbSize=abc', {
      bytes: await makePng(10, 10),
      name: 'a.png',
    });
    expect(res.code).toBe(500);
    expect(res.message).toContain('thumbSize');
  });

  it('serves a voice message (wav) as audio', async () => {
    const res = await upload(bob, '/file/upload', { bytes: makeWav(1), name: '20261126.wav' });
    expect(res.data).toMatch(/\.wav$/);
    const served = await fetchUrl(res.data as string);
    expect(served.type).toBe('audio/wav');
  });

  it('uploads a video with its cover; duration and size come from the MP4', async () => {
    const cover = await makeJpeg(1280, 720);
    const res = await upload(
      bob,
      '/video/upload?duration=99',
      { bytes: makeMp4(3.5, 1280, 720, 64 * 1024), name: 'clip.mp4', type: 'video/mp4' },
      { field: 'cover', bytes: cover, name: 'cover.jpg' },
    );
    expect(res.code, res.message).toBe(200);
    const vo = res.data as {
      videoUrl: string;
      coverUrl: string;
      duration: number;
      width: number;
      height: number;
    };
    expect(vo).toMatchObject({ duration: 3.5, width: 1280, height: 720 });
    expect(vo.videoUrl).toMatch(/\/files\/video\/\d{8}\/[0-9a-f]{32}\.mp4$/);
    expect((await fetchUrl(vo.videoUrl)).type).toBe('video/mp4');
    const coverServed = await fetchUrl(vo.coverUrl);
    expect(coverServed.type).toBe('image/jpeg');
    expect(coverServed.bytes.length).toBeLessThanOrEqual(100 * 1024);
  });

  it('uploads a video without a cover, and refuses non-videos', async () => {
    const res = await upload(bob, '/video/upload', { bytes: makeMp4(1, 640, 360), name: 'v.mp4' });
    expect(res.code, res.message).toBe(200);
    expect((res.data as { coverUrl: unknown }).coverUrl).toBeNull();
    const notVideo = await upload(bob, '/video/upload', { bytes: makeWav(1), name: 'v.mp4' });
    expect(notVideo.message).toBe('视频格式不合法');
    const badCover = await upload(
      bob,
      '/video/upload',
      { bytes: makeMp4(1, 640, 360, 10), name: 'v.mp4' },
      { field: 'cover', bytes: Buffer.from('nope'), name: 'c.jpg' },
    );
    expect(badCover.message).toBe('视频封面格式不合法');
  });
});

describe('video size limit', () => {
  it('refuses a video over VIDEO_MAX_BYTES while streaming', async () => {
    const t = await startFileServer('disk', 'sqlite', { VIDEO_MAX_BYTES: String(2 * MiB) });
    try {
      const u = await t.newUser('vid');
      const res = await upload(u, '/video/upload', { bytes: makeMp4(1, 10, 10, 3 * MiB), name: 'big.mp4' });
      expect(res.message).toBe('视频大小不能超过2M');
      const ok = await upload(u, '/video/upload', { bytes: makeMp4(1, 10, 10, MiB), name: 'ok.mp4' });
      expect(ok.code, ok.message).toBe(200);
    } finally {
      await t.close();
    }
  });
});
