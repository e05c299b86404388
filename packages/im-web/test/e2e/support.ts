/**
 * E2E support: build the web client when needed, start/stop the standalone server,
 * launch Debian's chromium, and small UI helpers driven through data-test attributes.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { deflateSync } from 'node:zlib';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

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

export interface Server {
  url: string;
  port: number;
  dataDir: string;
  /** Do what box-im's admin console does to ban a user: database flag, then the bus order. */
  banUser(userId: number, reason: string): Promise<void>;
  close(): Promise<void>;
}

interface Running {
  url: string;
  ctx: {
    db: {
      db: {
        updateTable(t: 'im_user'): {
          set(v: object): { where(c: 'id', op: '=', v: number): { execute(): Promise<unknown> } };
        };
      };
    };
    bus: { push(queue: string, items: readonly string[]): Promise<void> };
  };
  close(): Promise<void>;
}
type StartFn = (o: {
  port: number;
  dataDir: string;
  webRoot?: string;
  env?: Record<string, string>;
}) => Promise<Running>;

export async function startServer(
  port = 0,
  dataDir = mkdtempSync(join(tmpdir(), 'im-web-e2e-')),
  env: Record<string, string> = {},
): Promise<Server> {
  const mod = (await import('@box-im/im-platform')) as unknown as { startStandalone: StartFn };
  const running = await mod.startStandalone({
    port,
    dataDir,
    webRoot: DIST,
    env: { LOG_LEVEL: 'warn', ...env },
  });
  const actual = Number(new URL(running.url).port);
  return {
    url: running.url,
    port: actual,
    dataDir,
    async banUser(userId, reason) {
      await running.ctx.db.db
        .updateTable('im_user')
        .set({ is_banned: 1, reason })
        .where('id', '=', userId)
        .execute();
      await running.ctx.bus.push('im:queue:user:banned', [JSON.stringify({ id: userId, reason })]);
    },
    close: () => running.close(),
  };
}

export async function launch(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
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

export async function newUser(
  browser: Browser,
  baseURL: string,
): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await browser.newContext({ baseURL, viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
  ctx.setDefaultTimeout(15_000);
  const page = await ctx.newPage();
  page.on('pageerror', (e) => console.error(`[pageerror] ${e.message}`));
  return { ctx, page };
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

/** Does the server implement this route? An existing route answers an anonymous call with code 400/401. */
export async function hasRoute(base: string, method: string, path: string): Promise<boolean> {
  try {
    const res = await fetch(base + '/api' + path, {
      method,
      headers: { 'Content-Type': 'application/json' },
      body: method === 'GET' ? undefined : '{}',
    });
    const body = (await res.json()) as { code?: number };
    return body.code === 400 || body.code === 401;
  } catch {
    return false;
  }
}

/** Direct API calls for test setup (register, friends) where the UI is not under test. */
export async function apiCall<T>(
  base: string,
  path: string,
  init: RequestInit & { token?: string } = {},
): Promise<T> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (init.token) headers.accessToken = init.token;
  const res = await fetch(`${base}/api${path}`, { ...init, headers });
  const body = (await res.json()) as { code: number; message: string; data: T };
  if (body.code !== 200) throw new Error(`${path}: ${body.code} ${body.message}`);
  return body.data;
}

export async function apiAccount(
  base: string,
  userName: string,
  nickName: string,
): Promise<{ id: number; token: string }> {
  const pw = 'secret123';
  await apiCall(base, '/register', {
    method: 'POST',
    body: JSON.stringify({ userName, nickName, password: pw, confirmPassword: pw }),
  });
  const { accessToken } = await apiCall<{ accessToken: string }>(base, '/login', {
    method: 'POST',
    body: JSON.stringify({ terminal: 0, userName, password: pw }),
  });
  const self = await apiCall<{ id: number }>(base, '/user/self', { token: accessToken });
  return { id: self.id, token: accessToken };
}
