/**
 * Driving the web client in a browser through its data-test attributes: the helpers of
 * im-web's own end-to-end suites, and of the mobile client's, whose users chat with users on
 * im-web (`@box-im/im-web/testing`). Pages are Playwright pages opened on a server that
 * serves the web client at its root.
 */
import type { Locator, Page } from 'playwright-core';

/** The password the helpers type unless told another. */
export const TEST_PASSWORD = 'secret123';

export const sel = (test: string) => `[data-test="${test}"]`;
export const input = (test: string) => `input[data-test="${test}"], textarea[data-test="${test}"]`;

export async function register(
  page: Page,
  userName: string,
  nickName: string,
  password = TEST_PASSWORD,
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

/** Log in and wait until the socket is open. */
export async function login(page: Page, userName: string, password = TEST_PASSWORD): Promise<void> {
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

/** In the open chat: type and send with the keyboard. */
export async function sendText(page: Page, text: string): Promise<void> {
  await page.fill(input('chat-input'), text);
  await page.press(input('chat-input'), 'Enter');
}

/** The open chat's messages. */
export function messageList(page: Page): Locator {
  return page.locator(sel('message-list'));
}
