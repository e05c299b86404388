/**
 * Browsers for end-to-end tests of any web client (im-web today, the uni-app H5 build next):
 * Debian's chromium, driven by playwright-core. Never a downloaded browser.
 */
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** The chromium to drive: IM_TEST_CHROMIUM, default Debian's `/usr/bin/chromium`. */
export function chromiumPath(): string {
  return process.env['IM_TEST_CHROMIUM'] || '/usr/bin/chromium';
}

/** Headless chromium with what a CI machine needs (no sandbox, no GPU, no background traffic). */
export function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...extraArgs,
    ],
  });
}

/** The fake camera's clip: small and slow, a bar moving across grey (see `fakeMediaArgs`). */
const CLIP = { width: 160, height: 120, fps: 10, frames: 20 };

/** The clip as a Y4M file (I420), written once per machine into the temp directory. */
function fakeCameraClip(): string {
  const { width, height, fps, frames } = CLIP;
  const file = join(tmpdir(), `im-test-camera-${width}x${height}-${fps}fps-${frames}.y4m`);
  if (existsSync(file)) return file;
  const parts: Buffer[] = [Buffer.from(`YUV4MPEG2 W${width} H${height} F${fps}:1 Ip A1:1 C420jpeg\n`)];
  for (let f = 0; f < frames; f++) {
    const luma = Buffer.alloc(width * height, 96);
    const bar = Math.floor((f * width) / frames);
    for (let y = 0; y < height; y++) luma.fill(224, y * width + bar, y * width + Math.min(width, bar + 16));
    parts.push(Buffer.from('FRAME\n'), luma, Buffer.alloc((width * height) / 2, 128));
  }
  const partial = `${file}.${process.pid}`;
  writeFileSync(partial, Buffer.concat(parts));
  renameSync(partial, file);
  return file;
}

/**
 * Chromium arguments for calls: camera and microphone allowed without asking, fake devices,
 * and the fake camera playing a 160×120 clip at 10 frames/s instead of its default 640×480
 * test pattern at 30: each page of a call encodes its camera once per peer and decodes every
 * peer, and at full size a three- or four-way mesh of pages keeps a small CI machine's cores
 * busy with video alone, so the calls set up, and the tests wait, many times slower.
 */
export function fakeMediaArgs(): string[] {
  return [
    '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream',
    `--use-file-for-fake-video-capture=${fakeCameraClip()}`,
  ];
}

/** A browser user: its own context (storage, cookies) on `baseURL`, page errors logged. */
export async function browserUser(
  browser: Browser,
  baseURL: string,
  options: {
    locale?: string;
    viewport?: { width: number; height: number };
    /** A phone: touch events and the mobile viewport meta honoured. */
    touch?: boolean;
  } = {},
): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await browser.newContext({
    baseURL,
    viewport: options.viewport ?? { width: 1280, height: 800 },
    locale: options.locale ?? 'zh-CN',
    ...(options.touch ? { hasTouch: true, isMobile: true, deviceScaleFactor: 2 } : {}),
  });
  ctx.setDefaultTimeout(15_000);
  const page = await ctx.newPage();
  page.on('pageerror', (e) => process.stderr.write(`[pageerror] ${e.message}\n`));
  return { ctx, page };
}
