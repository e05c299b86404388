/**
 * E2E support of the H5 client: both builds (H5 and im-web), the server serving them, phone
 * and desktop browser users, and helpers for uni's H5 DOM (`<uni-input>` wraps the native
 * input; hidden pages stay in the DOM, so selectors ask for visible elements).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { deflateSync } from 'node:zlib';
import type { CDPSession, Page } from 'playwright-core';

export const PKG = resolve(import.meta.dirname, '../..');
export const H5_DIST = join(PKG, 'dist/build/h5');
export const WEB_PKG = resolve(PKG, '../im-web');
export const WEB_DIST = join(WEB_PKG, 'dist');
export const SHOTS = join(PKG, 'test-results/screenshots');
export const PASSWORD = 'secret123';

function newest(dir: string): number {
  let n = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const s = statSync(p);
    n = Math.max(n, s.isDirectory() ? newest(p) : s.mtimeMs);
  }
  return n;
}

function stale(index: string, sources: string[]): boolean {
  return !existsSync(index) || statSync(index).mtimeMs < Math.max(...sources.map(newest));
}

/** The mobile client's toolchain is installed (the root postinstall does it unless told not to). */
export function uniInstalled(): boolean {
  return existsSync(join(PKG, 'node_modules/@dcloudio/vite-plugin-uni/package.json'));
}

/**
 * Build the H5 client and (unless `web` is false: phone-only suites) the web client when
 * missing or older than their sources.
 */
export function ensureBuilt({ web = true }: { web?: boolean } = {}): void {
  const core = [join(PKG, '../im-app-core/src'), join(PKG, '../im-common/src')];
  if (stale(join(H5_DIST, 'index.html'), [join(PKG, 'src'), ...core]))
    execFileSync('npm', ['run', 'build:h5'], { cwd: PKG, stdio: 'inherit' });
  if (web && stale(join(WEB_DIST, 'index.html'), [join(WEB_PKG, 'src'), ...core]))
    execFileSync('npx', ['vite', 'build'], { cwd: WEB_PKG, stdio: 'inherit' });
}

export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

/** A visible element by its data-test attribute. */
export const v = (test: string) => `[data-test="${test}"]:visible`;
/** The native input inside a visible `<uni-input>`. */
export const field = (test: string) => `[data-test="${test}"]:visible input`;

/**
 * Press and hold with a real touch (uni's longpress, hold-to-talk). `cancel` ends it as the
 * system does after a long press that opened a menu (no click lands on the menu's mask).
 */
export async function hold(
  page: Page,
  cdp: CDPSession,
  selector: string,
  ms: number,
  cancel = false,
): Promise<void> {
  const box = await page.locator(selector).last().boundingBox();
  if (!box) throw new Error(`not on screen: ${selector}`);
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y }] });
  await page.waitForTimeout(ms);
  await cdp.send('Input.dispatchTouchEvent', { type: cancel ? 'touchCancel' : 'touchEnd', touchPoints: [] });
}

/** uni.showModal's confirm button; uni.showActionSheet's item with this text. */
export const modalOk = '.uni-modal__btn_primary:visible';
export const sheetItem = (text: string) => `.uni-actionsheet__cell:visible:has-text("${text}")`;

/** Tab bar item (0 chats, 1 friends, 2 groups, 3 me). */
export const tab = (page: Page, i: number) => page.locator('.uni-tabbar__item').nth(i).click();

/** The chat list shows (it is the entry page: `#/` or `#/pages/chat/chat`) and the socket is logged in. */
export async function waitOnline(page: Page): Promise<void> {
  await page.waitForSelector('[data-test="ws-state"][data-state="open"]', {
    state: 'attached',
    timeout: 30_000,
  });
}

export async function h5Login(page: Page, userName: string, password = PASSWORD): Promise<void> {
  await page.goto('/h5/#/pages/login/login');
  await page.fill(field('login-username'), userName);
  await page.fill(field('login-password'), password);
  await page.click(v('login-submit'));
  await waitOnline(page);
}

/** In the open H5 chat page: type and send with the keyboard. */
export async function h5Send(page: Page, text: string): Promise<void> {
  await page.fill(field('chat-input'), text);
  await page.press(field('chat-input'), 'Enter');
}

// ---- the web client (im-web's own data-test names) -------------------------------------------
const sel = (test: string) => `[data-test="${test}"]`;
const input = (test: string) => `input[data-test="${test}"], textarea[data-test="${test}"]`;

export async function webLogin(page: Page, userName: string): Promise<void> {
  await page.goto('/#/login');
  await page.fill(input('login-username'), userName);
  await page.fill(input('login-password'), PASSWORD);
  await page.click(sel('login-submit'));
  await page.waitForURL(/#\/home\/chat/);
  await page.waitForSelector(`${sel('ws-state')}[title="open"]`, { timeout: 30_000 });
}

export async function webOpenChat(page: Page, name: string): Promise<void> {
  await page.click(sel('nav-chat'));
  await page.locator(`.chat-item[data-name="${name}"]`).click();
  await page.waitForSelector(`${sel('chat-title')}:has-text("${name}")`);
}

export async function webSend(page: Page, text: string): Promise<void> {
  await page.fill(input('chat-input'), text);
  await page.press(input('chat-input'), 'Enter');
}

export const webList = (page: Page) => page.locator(sel('message-list'));

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

/** A solid-colour RGB PNG (no image library needed). */
export function makePng(width: number, height: number, rgb: [number, number, number]): Buffer {
  const row = Buffer.alloc(1 + width * 3);
  for (let x = 0; x < width; x++) row.set(rgb, 1 + x * 3);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
