/**
 * Management screens: settings (profile, avatar, password), user card, history drawer,
 * group side panel (notice, remark, remove member, quit), friend delete.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  apiAccount,
  apiCall,
  ensureBuilt,
  input,
  launch,
  login,
  messageList,
  newUser,
  openChat,
  openFriendChat,
  PNG,
  sel,
  sendText,
  shot,
  startServer,
  waitOnline,
  type Server,
} from './support';

let server: Server;
let browser: Browser;
let a: { ctx: BrowserContext; page: Page };
let b: { ctx: BrowserContext; page: Page };
const run = Date.now().toString(36).slice(-5);
const A = { user: `owen${run}`, nick: `Owen${run}`, id: 0, token: '' };
const B = { user: `pia${run}`, nick: `Pia${run}`, id: 0, token: '' };
const C = { user: `quin${run}`, nick: `Quin${run}`, id: 0, token: '' };
const group = `Club${run}`;

beforeAll(async () => {
  ensureBuilt();
  server = await startServer();
  for (const u of [A, B, C]) Object.assign(u, await apiAccount(server.url, u.user, u.nick));
  for (const u of [B, C])
    await apiCall(server.url, `/friend/add?friendId=${u.id}`, { method: 'POST', token: A.token, body: '{}' });
  const g = await apiCall<{ id: number }>(server.url, '/group/create', {
    method: 'POST',
    token: A.token,
    body: JSON.stringify({ name: group }),
  });
  await apiCall(server.url, '/group/invite', {
    method: 'POST',
    token: A.token,
    body: JSON.stringify({ groupId: g.id, friendIds: [B.id, C.id] }),
  });
  browser = await launch();
  a = await newUser(browser, server.url);
  b = await newUser(browser, server.url);
  await login(a.page, A.user);
  await login(b.page, B.user);
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state !== 'fail') return;
  await shot(a.page, 'fail-manage-a').catch(() => undefined);
  await shot(b.page, 'fail-manage-b').catch(() => undefined);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('im-web management', () => {
  it('settings: nickname, avatar upload, password change', async () => {
    await a.page.click(sel('nav-setting'));
    await a.page.fill(input('setting-nick'), `${A.nick}X`);
    await a.page.setInputFiles(input('avatar-input'), { name: 'me.png', mimeType: 'image/png', buffer: PNG });
    await a.page.locator('.el-dialog .head img').first().waitFor();
    await a.page.click(sel('setting-save'));
    await a.page.locator('.el-message--success').first().waitFor();
    const self = await apiCall<{ nickName: string; headImage: string }>(server.url, '/user/self', {
      token: A.token,
    });
    expect(self.nickName).toBe(`${A.nick}X`);
    expect(self.headImage).toBeTruthy();
    await shot(a.page, '21-settings-profile');
    await a.page.locator('.el-dialog .el-tabs__item').nth(1).click();
    const pw = a.page.locator('.el-dialog .el-tab-pane').nth(1).locator('input');
    await pw.nth(0).fill('secret123');
    await pw.nth(1).fill('newsecret1');
    await pw.nth(2).fill('newsecret1');
    await a.page.locator('.el-dialog .el-tab-pane').nth(1).locator('.el-button--primary').click();
    // every session ends with a password change: back to the login page, no "elsewhere" alert
    await a.page.waitForURL(/#\/login/);
    expect(await a.page.locator('.el-message-box').count()).toBe(0);
    await login(a.page, A.user, 'newsecret1');
  });

  it('user card from an avatar, and the history drawer', async () => {
    // Profile edits are not pushed (as in box-im): B sees A's new name after a reload.
    await b.page.reload();
    await waitOnline(b.page);
    await openFriendChat(b.page, `${A.nick}X`);
    for (let i = 1; i <= 3; i++) await sendText(b.page, `history line ${i}`);
    await openFriendChat(a.page, B.nick);
    await messageList(a.page).getByText('history line 3').waitFor();
    await messageList(a.page).locator('[data-msg]:not(.self) .head').first().click();
    await a.page
      .locator('.el-dialog')
      .getByText(new RegExp(`: ${B.user}$`))
      .waitFor();
    await shot(a.page, '22-user-card');
    await a.page.keyboard.press('Escape');
    await a.page.click(sel('tool-history'));
    await a.page.locator(sel('history-list')).getByText('history line 2').waitFor();
    await a.page.fill(input('history-search'), 'line 3');
    await expect.poll(() => a.page.locator(`${sel('history-list')} .item`).count()).toBe(1);
    await shot(a.page, '23-history');
    await a.page.keyboard.press('Escape');
  });

  it('group side panel: notice and remark saved, member removed, member quits', async () => {
    await a.page.click(sel('nav-chat'));
    await openChat(a.page, group);
    await a.page.click(sel('group-side-toggle'));
    await expect.poll(() => a.page.locator(`${sel('group-members')} [data-test^="member-"]`).count()).toBe(3);
    await a.page.setInputFiles(input('group-avatar-input'), {
      name: 'club.png',
      mimeType: 'image/png',
      buffer: PNG,
    });
    await a.page.locator(`${sel('group-side')} .el-form .head img`).waitFor();
    await a.page.fill(input('group-notice'), 'Be nice');
    await a.page.fill(input('group-remark'), `My${group}`);
    await a.page.click(sel('group-save'));
    await a.page.locator(`${sel('chat-title')}:has-text("My${group}")`).waitFor();
    await a.page.locator(`.chat-item[data-name="My${group}"] .head img`).waitFor();
    await a.page.click(sel('group-remove'));
    await a.page.locator(`${sel('picker-list')} label:has-text("${C.nick}")`).click();
    await a.page.click(sel('picker-ok'));
    await expect.poll(() => a.page.locator(`${sel('group-members')} [data-test^="member-"]`).count()).toBe(2);
    await shot(a.page, '24-group-managed');
    // B quits from its side panel
    await b.page.click(sel('nav-chat'));
    await openChat(b.page, group);
    await b.page.click(sel('group-side-toggle'));
    expect(await b.page.locator(input('group-notice')).inputValue()).toBe('Be nice');
    await b.page.click(sel('group-quit'));
    await b.page.locator('.el-message-box .el-button--primary').click();
    await b.page.locator(`.chat-item[data-name="${group}"]`).waitFor({ state: 'detached' });
  });

  it('deletes a friend', async () => {
    await a.page.click(sel('nav-friend'));
    await a.page
      .locator(`${sel('friend-list')} [data-name="${C.nick}"]`)
      .first()
      .click();
    await a.page.click(sel('friend-delete'));
    await a.page.locator('.el-message-box .el-button--primary').click();
    await a.page
      .locator(`${sel('friend-list')} [data-name="${C.nick}"]`)
      .first()
      .waitFor({ state: 'detached' });
  });
});
