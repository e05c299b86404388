/**
 * Decompression bombs on `/image/upload` (issue 9, item 2). A 182 KB single-colour 16383²
 * GIF or a 33 KB interlaced 16383² PNG used to be decoded in full (+1.1 GB each, 9–16 s),
 * and four at once took 4.9 GB and held the threads password hashing needs, so logins took
 * 16 s. Now they are refused from their header, and the image work that is accepted is
 * queued. The figures of each run are printed (see docs/files.md).
 */
import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp, TestUser } from '@box-im/im-platform/testing';
import { makeSolidGif, makeSolidPng } from './bomb-fixtures';
import { startFileServer, upload } from './support';

const MB = 1024 * 1024;

/** A phone-sized photo (8000×6000 = 48 MP, baseline JPEG, a few MB). */
async function makePhoto(width = 8000, height = 6000, progressive = false): Promise<Buffer> {
  return sharp(randomBytes(400 * 300 * 3), { raw: { width: 400, height: 300, channels: 3 } })
    .resize(width, height)
    .jpeg({ quality: 85, progressive })
    .toBuffer();
}

/** Peak RSS growth while `work` runs, and the latencies of logins made meanwhile. */
async function underLoad(
  t: TestApp,
  user: TestUser,
  work: () => Promise<unknown>,
): Promise<{ peakMb: number; loginsMs: number[]; idleLoginMs: number; ms: number }> {
  const login = async () => {
    const started = performance.now();
    const res = await t.anon.post('/login', {
      terminal: 0,
      userName: user.userName,
      password: user.password,
    });
    expect(res.code, res.message).toBe(200);
    return Math.round(performance.now() - started);
  };
  const idle = [await login(), await login(), await login()].sort((a, b) => a - b)[1]!;
  const base = process.memoryUsage.rss();
  let peak = base;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 10);
  const loginsMs: number[] = [];
  let running = true;
  const logins = (async () => {
    while (running) loginsMs.push(await login());
  })();
  const started = performance.now();
  try {
    await work();
  } finally {
    running = false;
    await logins;
    clearInterval(sampler);
  }
  peak = Math.max(peak, process.memoryUsage.rss());
  return {
    peakMb: Math.round((peak - base) / MB),
    loginsMs,
    idleLoginMs: idle,
    ms: Math.round(performance.now() - started),
  };
}

describe('image decompression bombs', () => {
  let t: TestApp;
  let alice: TestUser;
  let gifBomb: Buffer;
  let pngBomb: Buffer;
  let photo: Buffer;
  beforeAll(async () => {
    // Login latency is measured by logging one account in again and again.
    t = await startFileServer('disk', 'sqlite', { RATE_LIMIT_LOGIN_ACCOUNT: '100000/1m' });
    alice = await t.newUser('bomb');
    gifBomb = makeSolidGif();
    pngBomb = makeSolidPng();
    photo = await makePhoto();
  });
  afterAll(() => t?.close());

  it('refuses a 16383² single-colour GIF and an interlaced 16383² PNG as too large, from their header', async () => {
    expect(gifBomb.length).toBeLessThan(200 * 1024);
    expect(pngBomb.length).toBeLessThan(64 * 1024);
    for (const [name, bytes] of [
      ['bomb.gif', gifBomb],
      ['bomb.png', pngBomb],
    ] as const) {
      const started = performance.now();
      const res = await upload(alice, '/image/upload', { bytes, name });
      expect(res.code, name).toBe(500);
      expect(res.message, name).toBe('图片尺寸过大');
      expect(res.headers.get('x-error-key')).toBe('IMAGE_TOO_MANY_PIXELS');
      expect(performance.now() - started, name).toBeLessThan(3000);
    }
    const en = await alice.api.request(
      'POST',
      '/image/upload',
      (await import('./support')).form({ bytes: gifBomb, name: 'bomb.gif' }),
      { 'x-im-language': 'en' },
    );
    expect(en.message).toMatch(/^The image is too large/);
  });

  it('four GIF bombs and a PNG bomb at once beside a 48 MP photo: memory stays bounded, logins keep answering', async () => {
    const bombs = [makeSolidGif(), makeSolidGif(), makeSolidGif(), makeSolidGif(), makeSolidPng()];
    let results: Awaited<ReturnType<typeof upload>>[] = [];
    const load = await underLoad(t, alice, async () => {
      results = await Promise.all([
        ...bombs.map((bytes, i) =>
          upload(alice, '/image/upload?isPermanent=false', { bytes, name: `bomb${i}` }),
        ),
        upload(alice, '/image/upload?isPermanent=false', { bytes: photo, name: 'photo.jpg' }),
      ]);
    });
    console.log(
      `[image bombs] 4 GIF + 1 PNG bombs + 48 MP photo: ${load.ms} ms, peak RSS +${load.peakMb} MB, ` +
        `${load.loginsMs.length} logins meanwhile, max ${Math.max(...load.loginsMs)} ms (idle ${load.idleLoginMs} ms)`,
    );
    const accepted = results.pop()!;
    for (const bomb of results) expect(bomb.message).toBe('图片尺寸过大');
    expect(accepted.code, accepted.message).toBe(200);
    expect(accepted.data).toMatchObject({ width: 8000, height: 6000 });
    expect(load.peakMb).toBeLessThan(400);
    expect(Math.max(...load.loginsMs)).toBeLessThan(4000);
  }, 120_000);

  it('the largest images still accepted, four at once: bounded memory and login latency', async () => {
    const largest = [
      { name: 'limit.gif', bytes: makeSolidGif(4000, 3000) },
      { name: 'limit-interlaced.png', bytes: makeSolidPng(4000, 3000, true) },
      { name: 'limit.png', bytes: makeSolidPng(8000, 6000, false) },
      { name: 'limit-progressive.jpg', bytes: await makePhoto(8000, 6000, true) },
    ];
    let results: Awaited<ReturnType<typeof upload>>[] = [];
    const load = await underLoad(t, alice, async () => {
      results = await Promise.all(
        largest.map((image) => upload(alice, '/image/upload?isPermanent=false', image)),
      );
    });
    console.log(
      `[image bombs] 4 largest accepted images: ${load.ms} ms, peak RSS +${load.peakMb} MB, ` +
        `${load.loginsMs.length} logins meanwhile, max ${Math.max(...load.loginsMs)} ms (idle ${load.idleLoginMs} ms)`,
    );
    for (const [i, res] of results.entries())
      expect(res.code, `${largest[i]!.name}: ${res.message}`).toBe(200);
    expect(load.peakMb).toBeLessThan(600);
    expect(Math.max(...load.loginsMs)).toBeLessThan(4000);
  }, 120_000);
});
