/**
 * Beyond the core flow: failed send + retry, video messages, chat list pin/mute/delete
 * (pin survives a reload), force logout by a second login, and the English UI.
 */
import { browserUser, type TestUser } from '@box-im/im-standalone/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { useE2E } from './fixture';
import {
  input,
  login,
  messageList,
  openChat,
  openFriendChat,
  sel,
  sendText,
  shot,
  waitOnline,
} from './support';

const e2e = useE2E();
const pa = () => e2e.page('a');
const pb = () => e2e.page('b');
const run = Date.now().toString(36).slice(-5);
const A = { user: `ann${run}`, nick: `Ann${run}` };
const B = { user: `ben${run}`, nick: `Ben${run}` };
let ann: TestUser;
let ben: TestUser;

beforeAll(async () => {
  ann = await e2e.server.account({ userName: A.user, nickName: A.nick });
  ben = await e2e.server.account({ userName: B.user, nickName: B.nick });
  await e2e.server.befriend(ann, ben);
  await login(pa(), A.user);
  await login(pb(), B.user);
});

/** A message from Ben to Ann, sent through the API. */
async function benSays(content: string): Promise<void> {
  const res = await ben.api.post('/message/private/send', {
    tmpId: `${Date.now()}`,
    recvId: ann.id,
    content,
    type: 0,
  });
  expect(res.code, res.message).toBe(200);
}

describe('im-web extras', () => {
  it('a failed send shows a retry mark and retries successfully', async () => {
    await openFriendChat(pa(), B.nick);
    await pa().route('**/api/message/private/send', (route) => route.abort('failed'));
    await sendText(pa(), 'flaky network message');
    const failed = messageList(pa()).locator(
      `[data-msg]:has-text("flaky network message") ${sel('msg-failed')}`,
    );
    await failed.waitFor();
    await shot(pa(), '14-send-failed');
    await pa().unroute('**/api/message/private/send');
    await failed.click();
    await expect.poll(() => failed.count()).toBe(0);
    await pb().click(sel('nav-chat'));
    await openChat(pb(), A.nick);
    await messageList(pb()).getByText('flaky network message').waitFor();
    expect(await messageList(pb()).getByText('flaky network message').count()).toBe(1);
  });

  it('sends a video recorded in the browser and plays it with controls', async () => {
    // Record a short WebM from a canvas and hand it to the video input.
    await pa().evaluate(async () => {
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
    const video = messageList(pb())
      .locator(`${sel('msg-video')} video`)
      .last();
    await video.waitFor({ timeout: 20_000 });
    expect(await video.getAttribute('controls')).not.toBeNull();
    const src = await video.getAttribute('src');
    expect(src && !src.startsWith('blob:')).toBe(true);
    await expect
      .poll(() =>
        pa()
          .locator(`${sel('message-list')} ${sel('msg-failed')}`)
          .count(),
      )
      .toBe(0);
    await shot(pb(), '15-video');
  });

  it('pasting and dropping files sends them', async () => {
    await pa().evaluate(async () => {
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
    await messageList(pb()).getByText('dropped.txt').waitFor();
    await expect.poll(() => messageList(pb()).locator(sel('msg-image')).count()).toBe(1);
  });

  it('pins (persisting across reload), mutes and deletes chats', async () => {
    await benSays('ping');
    await pa().click(sel('nav-chat'));
    const item = pa().locator(`.chat-item[data-name="${B.nick}"]`);
    await item.click({ button: 'right' });
    await pa().click(sel('menu-pin'));
    await item.locator(sel('chat-pinned')).waitFor();
    await item.click({ button: 'right' });
    await pa().click(sel('menu-dnd'));
    await item.locator(sel('chat-dnd')).waitFor();
    await pa().waitForTimeout(600); // let the debounced cache write land
    await pa().reload();
    await waitOnline(pa());
    await item.locator(sel('chat-pinned')).waitFor();
    await item.locator(sel('chat-dnd')).waitFor();
    // muted: a new message does not count in the nav badge
    await benSays('quiet please');
    await item.getByText('quiet please').waitFor();
    expect(
      await pa()
        .locator(`${sel('nav-unread')} .el-badge__content`)
        .isVisible(),
    ).toBe(false);
    await shot(pa(), '16-chat-list-pinned-muted');
    await item.click({ button: 'right' });
    await pa().click(sel('menu-delete'));
    await pa().locator('.el-message-box .el-button--primary').click();
    await item.waitFor({ state: 'detached' });
  });

  it('switches the UI to English', async () => {
    await pa().click(sel('nav-friend'));
    await pa().locator('.nav-item.lang').click();
    await pa()
      .getByText('Online')
      .or(pa().getByText('Add friend'))
      .first()
      .waitFor()
      .catch(() => undefined);
    expect(await pa().locator(sel('nav-chat')).getAttribute('title')).toBe('Chats');
    await pa().click(sel('nav-chat'));
    expect(await pa().locator(input('chat-search')).getAttribute('placeholder')).toBe('Search');
    await shot(pa(), '17-english');
    await pa().locator('.nav-item.lang').click();
  });

  it('a second login on the same terminal forces the first one out', async () => {
    const other = await browserUser(e2e.browser, e2e.server.url);
    await login(other.page, B.user);
    await pb()
      .locator('.el-message-box')
      .getByText(/其他地方登录|signed in somewhere else/)
      .waitFor({ timeout: 15_000 });
    await shot(pb(), '18-force-logout');
    await pb().locator('.el-message-box .el-button--primary').click();
    await pb().waitForURL(/#\/login/);
    await other.ctx.close();
  });

  it('a user banned by the admin is told why and logged out', async () => {
    const cid = await e2e.server.account({ userName: `cid${run}`, nickName: `Cid${run}` });
    const banned = await browserUser(e2e.browser, e2e.server.url);
    await login(banned.page, cid.userName);
    await e2e.server.admin.banUser(cid.id, '发布广告');
    await banned.page.locator('.el-message-box').getByText('发布广告').waitFor({ timeout: 15_000 });
    await banned.page.waitForTimeout(400); // let the dialog's fade-in finish for the screenshot
    await shot(banned.page, '19-banned');
    await banned.page.locator('.el-message-box .el-button--primary').click();
    await banned.page.waitForURL(/#\/login/);
    await banned.ctx.close();
  });
});
