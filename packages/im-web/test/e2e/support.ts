/**
 * E2E support of the web client: its build, and small UI helpers driven through data-test
 * attributes. The server, the browser and the users are the fixture's (`fixture.ts`).
 */
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { buildStale, makePng, screenshot } from '@box-im/im-standalone/testing';
import type { Page } from 'playwright-core';

export const PKG = resolve(import.meta.dirname, '../..');
export const DIST = join(PKG, 'dist');
export const SHOTS = join(PKG, 'test-results/screenshots');

/** Build dist/ if it is missing or older than the sources. */
export function ensureBuilt(): void {
  const sources = [join(PKG, 'src'), join(PKG, '../im-app-core/src'), join(PKG, 'index.html')];
  if (buildStale(join(DIST, 'index.html'), sources))
    execFileSync('npx', ['vite', 'build'], { cwd: PKG, stdio: 'inherit' });
}

export const shot = (page: Page, name: string): Promise<void> => screenshot(page, SHOTS, name);

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

export const PNG = makePng(160, 100, [64, 158, 255]);
