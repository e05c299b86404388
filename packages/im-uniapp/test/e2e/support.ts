/**
 * E2E support of the H5 client: both builds (H5 and im-web), the server serving them, phone
 * and desktop browser users, and helpers for uni's H5 DOM (`<uni-input>` wraps the native
 * input; hidden pages stay in the DOM, so selectors ask for visible elements).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  browserUser,
  buildStale,
  launchChromium,
  screenshot,
  startTestServer,
  testFileName,
  type TestServer,
} from '@box-im/im-standalone/testing';
import { TEST_PASSWORD } from '@box-im/im-web/testing';
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';

export { makePng } from '@box-im/im-standalone/testing';
// The web client's users are driven with im-web's own helpers.
export {
  login as webLogin,
  openChat as webOpenChat,
  sendText as webSend,
  messageList as webList,
} from '@box-im/im-web/testing';

export const PKG = resolve(import.meta.dirname, '../..');
export const H5_DIST = join(PKG, 'dist/build/h5');
export const WEB_PKG = resolve(PKG, '../im-web');
export const WEB_DIST = join(WEB_PKG, 'dist');
export const SHOTS = join(PKG, 'test-results/screenshots');
/** The password of every user, on both clients. */
export const PASSWORD = TEST_PASSWORD;
/** The phone's screen. */
export const PHONE = { width: 390, height: 844 };

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
  if (buildStale(join(H5_DIST, 'index.html'), [join(PKG, 'src'), ...core]))
    execFileSync('npm', ['run', 'build:h5'], { cwd: PKG, stdio: 'inherit' });
  if (web && buildStale(join(WEB_DIST, 'index.html'), [join(WEB_PKG, 'src'), ...core]))
    execFileSync('npx', ['vite', 'build'], { cwd: WEB_PKG, stdio: 'inherit' });
}

export const shot = (page: Page, name: string): Promise<void> => screenshot(page, SHOTS, name);

export interface PhoneSuiteOptions {
  /** Names the data folder and prefixes failure screenshots (`<name>-fail-<test>-<user>`). */
  name: string;
  /** Serve (and build) im-web too, for users on the desktop. @default true */
  web?: boolean;
  /** Server configuration variables (LOG_LEVEL is warn unless given). */
  env?: Record<string, string>;
  /** Extra chromium flags (fake media devices). */
  browserArgs?: string[];
}

export interface BrowserUser {
  ctx: BrowserContext;
  page: Page;
}

export interface PhoneSuite {
  readonly server: TestServer;
  readonly browser: Browser;
  /** A new phone user (390×844, touch); `label` names its failure screenshots. */
  phone(label: string): Promise<BrowserUser>;
  /** A new desktop browser user (im-web). */
  desktop(label: string): Promise<BrowserUser>;
}

/**
 * The one fixture of the H5 suites; call it once in the suite's `describe`. Before the
 * suite's own `beforeAll`: the builds, a standalone server serving them on a fresh data
 * folder, headless chromium. After each failing test: a screenshot of every page opened
 * through `phone`/`desktop`. After the suite: the browser and the server closed, the data
 * folder removed.
 */
export function phoneSuite(options: PhoneSuiteOptions): PhoneSuite {
  const web = options.web ?? true;
  const pages = new Map<string, Page>();
  let dataDir = '';
  let server: TestServer | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    ensureBuilt({ web });
    dataDir = mkdtempSync(join(tmpdir(), `im-h5-${options.name}-`));
    server = await startTestServer({
      dataDir,
      ...(web ? { webRoot: WEB_DIST } : {}),
      h5Root: H5_DIST,
      env: { LOG_LEVEL: 'warn', ...options.env },
    });
    browser = await launchChromium(options.browserArgs);
  });

  afterEach(async (ctx) => {
    if (ctx.task.result?.state !== 'fail') return;
    const test = testFileName(ctx.task.name);
    for (const [label, page] of pages)
      await shot(page, `${options.name}-fail-${test}-${label}`).catch(() => undefined);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const required = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is not started (phoneSuite starts it in beforeAll)`);
    return value;
  };
  const open = async (label: string, phone: boolean): Promise<BrowserUser> => {
    const b = required(browser, 'the browser');
    const u = await browserUser(
      b,
      required(server, 'the server').url,
      phone ? { viewport: PHONE, touch: true } : {},
    );
    pages.set(label, u.page);
    return u;
  };
  return {
    get server() {
      return required(server, 'the server');
    },
    get browser() {
      return required(browser, 'the browser');
    },
    phone: (label) => open(label, true),
    desktop: (label) => open(label, false),
  };
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

/**
 * Back to the tab pages (chats, friends, groups, me) from whatever page the last test left
 * open: back through the page stack until the tab bar shows.
 */
export async function backToTabs(page: Page, maxPages = 5): Promise<void> {
  const tabBar = page.locator('.uni-tabbar__item:visible').first();
  for (let i = 0; i < maxPages; i++) {
    if (await tabBar.isVisible()) return;
    const from = page.url();
    await page.goBack();
    await page.waitForURL((url) => url.toString() !== from);
    // uni shows the page it went back to once its transition ends.
    if (
      await tabBar.waitFor({ timeout: 5000 }).then(
        () => true,
        () => false,
      )
    )
      return;
  }
  throw new Error(`no tab page within ${maxPages} pages back from ${page.url()}`);
}

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
