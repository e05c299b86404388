/**
 * Beyond the core flow: failed send + retry, video messages, chat list pin/mute/delete
 * (pin survives a reload), force logout by a second login, and the English UI.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
const A = { user: `ann${run}`, nick: `Ann${run}`, id: 0, token: '' };
const B = { user: `ben${run}`, nick: `Ben${run}`, id: 0, token: '' };

beforeAll(async () => {
  ensureBuilt();
  server = await startServer();
  Object.assign(A, await apiAccount(server.url, A.user, A.nick));
  Object.assign(B, await apiAccount(server.url, B.user, B.nick));
  await apiCall(server.url, `/friend/add?friendId=${B.id}`, { method: 'POST', token: A.token, body: '{}' });
  browser = await launch();
  a = await newUser(browser, server.url);
  b = await newUser(browser, server.url);
  await login(a.page, A.user);
  await login(b.page, B.user);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('im-web extras', () => {
  it('a failed send shows a retry mark and retries successfully', async () => {
    await openFriendChat(a.page, B.nick);
    await a.page.route('**/api/message/private/send', (route) => route.abort('failed'));
    await sendText(a.page, 'flaky network message');
    const failed = messageList(a.page).locator(
      `[data-msg]:has-text("flaky network message") ${sel('msg-failed')}`,
    );
    await failed.waitFor();
    await shot(a.page, '14-send-failed');
    await a.page.unroute('**/api/message/private/send');
    await failed.click();
    await expect.poll(() => failed.count()).toBe(0);
    await b.page.click(sel('nav-chat'));
    await openChat(b.page, A.nick);
    await messageList(b.page).getByText('flaky network message').waitFor();
    expect(await messageList(b.page).getByText('flaky network message').count()).toBe(1);
  });

  it('sends a video recorded in the browser and plays it with controls', async () => {
    // Record a short WebM from a canvas and hand it to the video input.
    await a.page.evaluate(async () => {
      const canvas = document.createElement('canvas');
      canvas.width = 160;
      canvas.height = 120;
      const g = canvas.getContext('2d')!;
      const stream = canvas.captureStream(15);
      const rec = new MediaRecorder(stream, { mimeType: 'video/webm' });
      const chunks: Blob[] = [];
      rec.ondataavailable = (e) => chunks.push(e.data);
      const stopped = new Promise((r) => (rec.onstop = r));
      rec.start(100);
      for (let i = 0; i < 15; i++) {
        g.fillStyle = `hsl(${i * 24}, 80%, 50%)`;
        g.fillRect(0, 0, 160, 120);
        await new Promise((r) => setTimeout(r, 60));
      }
      rec.stop();
      await stopped;
      const file = new File(chunks, 'clip.webm', { type: 'video/webm' });
      const dt = new DataTransfer();
      dt.items.add(file);
      const el = document.querySelector<HTMLInputElement>('input[data-test="input-video"]')!;
      el.files = dt.files;
      el.dispatchEvent(new Event('change'));
    });
    const video = messageList(b.page)
      .locator(`${sel('msg-video')} video`)
      .last();
    await video.waitFor({ timeout: 20_000 });
    expect(await video.getAttribute('controls')).not.toBeNull();
    const src = await video.getAttribute('src');
    expect(src && !src.startsWith('blob:')).toBe(true);
    await expect.poll(() => a.page.locator(`${sel('message-list')} ${sel('msg-failed')}`).count()).toBe(0);
    await shot(b.page, '15-video');
  });

  it('pasting and dropping files sends them', async () => {
    await a.page.evaluate(async () => {
      const png = await (
        await fetch(
          'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==',
        )
      ).blob();
      const paste = new DataTransfer();
      paste.items.add(new File([png], 'pasted.png', { type: 'image/png' }));
      document
        .querySelector('textarea[data-test="chat-input"]')!
        .dispatchEvent(
          new ClipboardEvent('paste', { clipboardData: paste, bubbles: true, cancelable: true }),
        );
      const drop = new DataTransfer();
      drop.items.add(new File(['dropped text'], 'dropped.txt', { type: 'text/plain' }));
      document
        .querySelector('[data-test="chat-box"]')!
        .dispatchEvent(new DragEvent('drop', { dataTransfer: drop, bubbles: true, cancelable: true }));
    });
    await messageList(b.page).getByText('dropped.txt').waitFor();
    await expect.poll(() => messageList(b.page).locator(sel('msg-image')).count()).toBe(1);
  });

  it('pins (persisting across reload), mutes and deletes chats', async () => {
    await apiCall(server.url, '/message/private/send', {
      method: 'POST',
      token: B.token,
      body: JSON.stringify({ tmpId: `${Date.now()}`, recvId: A.id, content: 'ping', type: 0 }),
    });
    await a.page.click(sel('nav-chat'));
    const item = a.page.locator(`.chat-item[data-name="${B.nick}"]`);
    await item.click({ button: 'right' });
    await a.page.click(sel('menu-pin'));
    await item.locator(sel('chat-pinned')).waitFor();
    await item.click({ button: 'right' });
    await a.page.click(sel('menu-dnd'));
    await item.locator(sel('chat-dnd')).waitFor();
    await a.page.waitForTimeout(600); // let the debounced cache write land
    await a.page.reload();
    await waitOnline(a.page);
    await item.locator(sel('chat-pinned')).waitFor();
    await item.locator(sel('chat-dnd')).waitFor();
    // muted: a new message does not count in the nav badge
    await apiCall(server.url, '/message/private/send', {
      method: 'POST',
      token: B.token,
      body: JSON.stringify({ tmpId: `${Date.now()}`, recvId: A.id, content: 'quiet please', type: 0 }),
    });
    await item.getByText('quiet please').waitFor();
    expect(await a.page.locator(`${sel('nav-unread')} .el-badge__content`).isVisible()).toBe(false);
    await shot(a.page, '16-chat-list-pinned-muted');
    await item.click({ button: 'right' });
    await a.page.click(sel('menu-delete'));
    await a.page.locator('.el-message-box .el-button--primary').click();
    await item.waitFor({ state: 'detached' });
  });

  it('switches the UI to English', async () => {
    await a.page.click(sel('nav-friend'));
    await a.page.locator('.nav-item.lang').click();
    await a.page
      .getByText('Online')
      .or(a.page.getByText('Add friend'))
      .first()
      .waitFor()
      .catch(() => undefined);
    expect(await a.page.locator(sel('nav-chat')).getAttribute('title')).toBe('Chats');
    await a.page.click(sel('nav-chat'));
    expect(await a.page.locator(input('chat-search')).getAttribute('placeholder')).toBe('Search');
    await shot(a.page, '17-english');
    await a.page.locator('.nav-item.lang').click();
  });

  it('a second login on the same terminal forces the first one out', async () => {
    const other = await newUser(browser, server.url);
    await login(other.page, B.user);
    await b.page
      .locator('.el-message-box')
      .getByText(/其他地方登录|signed in somewhere else/)
      .waitFor({ timeout: 15_000 });
    await shot(b.page, '18-force-logout');
    await b.page.locator('.el-message-box .el-button--primary').click();
    await b.page.waitForURL(/#\/login/);
    await other.ctx.close();
  });

  it('a user banned by the admin is told why and logged out', async () => {
    const c = { user: `cid${run}`, nick: `Cid${run}`, id: 0, token: '' };
    Object.assign(c, await apiAccount(server.url, c.user, c.nick));
    const banned = await newUser(browser, server.url);
    await login(banned.page, c.user);
    await server.banUser(c.id, '发布广告');
    await banned.page.locator('.el-message-box').getByText('发布广告').waitFor({ timeout: 15_000 });
    await banned.page.waitForTimeout(400); // let the dialog's fade-in finish for the screenshot
    await shot(banned.page, '19-banned');
    await banned.page.locator('.el-message-box .el-button--primary').click();
    await banned.page.waitForURL(/#\/login/);
    await banned.ctx.close();
  });
});
