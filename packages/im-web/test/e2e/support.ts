/**
 * E2E support of the web client: its build, and small UI helpers driven through data-test
 * attributes. The server, the browser and the users are the fixture's (`fixture.ts`).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';

export const PKG = resolve(import.meta.dirname, '../..');
export const DIST = join(PKG, 'dist');
export const SHOTS = join(PKG, 'test-results/screenshots');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const s = statSync(p);
    newest = Math.max(newest, s.isDirectory() ? newestMtime(p) : s.mtimeMs);
  }
  return newest;
}

/** Build dist/ if it is missing or older than the sources. */
export function ensureBuilt(): void {
  const index = join(DIST, 'index.html');
  const stale =
    !existsSync(index) ||
    statSync(index).mtimeMs <
      Math.max(
        newestMtime(join(PKG, 'src')),
        newestMtime(join(PKG, '../im-app-core/src')),
        statSync(join(PKG, 'index.html')).mtimeMs,
      );
  if (stale) execFileSync('npx', ['vite', 'build'], { cwd: PKG, stdio: 'inherit' });
}

export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

export const sel = (test: string) => `[data-test="${test}"]`;
export const input = (test: string) => `input[data-test="${test}"], textarea[data-test="${test}"]`;

export async function register(
  page: Page,
  userName: string,
  nickName: string,
  password = 'secret123',
): Promise<void> {
  await page.goto('/#/register');
  await page.fill(input('reg-username'), userName);
  await page.fill(input('reg-nickname'), nickName);
  await page.fill(input('reg-password'), password);
  await page.fill(input('reg-confirm'), password);
  await page.click(sel('reg-submit'));
  await page.waitForURL(/#\/home\/chat/);
  await waitOnline(page);
}

export async function login(page: Page, userName: string, password = 'secret123'): Promise<void> {
  await page.goto('/#/login');
  await page.fill(input('login-username'), userName);
  await page.fill(input('login-password'), password);
  await page.click(sel('login-submit'));
  await page.waitForURL(/#\/home\/chat/);
  await waitOnline(page);
}

export async function waitOnline(page: Page, timeout = 30_000): Promise<void> {
  await page.waitForSelector(`${sel('ws-state')}[title="open"]`, { timeout });
}

export async function addFriend(page: Page, userName: string): Promise<void> {
  await page.click(sel('nav-friend'));
  await page.click(sel('friend-add-open'));
  await page.fill(input('friend-search'), userName);
  await page.press(input('friend-search'), 'Enter');
  const row = page.locator(sel(`search-user-${userName}`));
  await row.locator(sel('friend-add-btn')).click();
  await row.getByText(/已是好友|Friends/).waitFor();
  await page.keyboard.press('Escape');
}

/** Open a private chat from the friend list. */
export async function openFriendChat(page: Page, nickName: string): Promise<void> {
  await page.click(sel('nav-friend'));
  await page
    .locator(`${sel('friend-list')} [data-name="${nickName}"]`)
    .first()
    .click();
  await page.click(sel('friend-chat'));
  await page.waitForSelector(`${sel('chat-title')}:has-text("${nickName}")`);
}

/** Open a chat from the chat list by its name. */
export async function openChat(page: Page, name: string): Promise<void> {
  await page.click(sel('nav-chat'));
  await page.locator(`.chat-item[data-name="${name}"]`).click();
  await page.waitForSelector(`${sel('chat-title')}:has-text("${name}")`);
}

export async function sendText(page: Page, text: string): Promise<void> {
  await page.fill(input('chat-input'), text);
  await page.press(input('chat-input'), 'Enter');
}

export function messageList(page: Page) {
  return page.locator(sel('message-list'));
}

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

/** A solid-colour RGB PNG of the given size (no image library needed). */
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

export const PNG = makePng(160, 100, [64, 158, 255]);
