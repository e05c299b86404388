/**
 * 1:1 call over WebRTC between two browser contexts (fake camera/microphone, host ICE
 * candidates only): ring, accept, media flows both ways, hang up.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  apiAccount,
  apiCall,
  ensureBuilt,
  launch,
  login,
  newUser,
  openFriendChat,
  sel,
  shot,
  startServer,
  type Server,
} from './support';

let server: Server;
let browser: Browser;
let a: { ctx: BrowserContext; page: Page };
let b: { ctx: BrowserContext; page: Page };
const run = Date.now().toString(36).slice(-5);
const A = { user: `cal${run}`, nick: `Cal${run}` };
const B = { user: `dee${run}`, nick: `Dee${run}` };

beforeAll(async () => {
  ensureBuilt();
  server = await startServer(0, undefined, { WEBRTC_ICE_SERVERS: '[]' });
  const ua = await apiAccount(server.url, A.user, A.nick);
  const ub = await apiAccount(server.url, B.user, B.nick);
  await apiCall(server.url, `/friend/add?friendId=${ub.id}`, { method: 'POST', token: ua.token, body: '{}' });
  browser = await launch(['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream']);
  a = await newUser(browser, server.url);
  b = await newUser(browser, server.url);
  for (const u of [a, b]) await u.ctx.grantPermissions(['camera', 'microphone']);
  await login(a.page, A.user);
  await login(b.page, B.user);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const remoteTracks = (page: Page) =>
  page.evaluate(() => {
    const el = document.querySelector<HTMLVideoElement>('video.remote');
    const stream = el?.srcObject as MediaStream | null | undefined;
    return stream ? stream.getTracks().filter((t) => t.readyState === 'live').length : 0;
  });

describe('voice message and private video call', () => {
  it('records and sends a voice message', async () => {
    await openFriendChat(a.page, B.nick);
    await a.page.click(sel('tool-voice'));
    await a.page.click(sel('record-start'));
    await a.page.waitForTimeout(1500);
    await a.page.click(sel('record-stop'));
    await a.page.click(sel('record-send'));
    await b.page.click(sel('nav-chat'));
    await b.page.locator(`.chat-item[data-name="${A.nick}"]`).click();
    const audio = b.page.locator(`${sel('message-list')} ${sel('msg-audio')} audio`);
    await audio.waitFor();
    const src = await audio.getAttribute('src');
    expect(src && !src.startsWith('blob:')).toBe(true);
  });

  it('rings, connects with media both ways, and hangs up', async () => {
    await openFriendChat(a.page, B.nick);
    await a.page.click(sel('tool-call-video'));
    await b.page.locator(sel('rtc-accept')).waitFor({ timeout: 15_000 });
    await shot(b.page, '19-call-incoming');
    await b.page.click(sel('rtc-accept'));
    await expect.poll(() => remoteTracks(a.page), { timeout: 20_000 }).toBeGreaterThan(0);
    await expect.poll(() => remoteTracks(b.page), { timeout: 20_000 }).toBeGreaterThan(0);
    await a.page.locator('.el-dialog__title', { hasText: /00:0\d/ }).waitFor();
    await shot(a.page, '20-call-connected');
    await a.page.click(sel('rtc-hangup'));
    await b.page.locator(sel('rtc-hangup')).waitFor({ state: 'hidden', timeout: 15_000 });
    await a.page.locator(sel('rtc-hangup')).waitFor({ state: 'hidden' });
  });
});
