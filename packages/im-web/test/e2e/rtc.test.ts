/**
 * 1:1 call over WebRTC between two browser contexts (fake camera/microphone, host ICE
 * candidates only): ring, accept, media flows both ways, hang up.
 */
import { fakeMediaArgs } from '@box-im/im-standalone/testing';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useE2E } from './fixture';
import { login, openFriendChat, sel, shot } from './support';

const e2e = useE2E({
  env: { WEBRTC_ICE_SERVERS: '[]' },
  browserArgs: fakeMediaArgs(),
  permissions: ['camera', 'microphone'],
});
const pa = () => e2e.page('a');
const pb = () => e2e.page('b');
const run = Date.now().toString(36).slice(-5);
const A = { user: `cal${run}`, nick: `Cal${run}` };
const B = { user: `dee${run}`, nick: `Dee${run}` };

beforeAll(async () => {
  const cal = await e2e.server.account({ userName: A.user, nickName: A.nick });
  const dee = await e2e.server.account({ userName: B.user, nickName: B.nick });
  await e2e.server.befriend(cal, dee);
  await login(pa(), A.user);
  await login(pb(), B.user);
});

const remoteTracks = (page: Page) =>
  page.evaluate(() => {
    const el = document.querySelector<HTMLVideoElement>('video.remote');
    const stream = el?.srcObject as MediaStream | null | undefined;
    return stream ? stream.getTracks().filter((t) => t.readyState === 'live').length : 0;
  });

describe('voice message and private video call', () => {
  it('records and sends a voice message', async () => {
    await openFriendChat(pa(), B.nick);
    await pa().click(sel('tool-voice'));
    await pa().click(sel('record-start'));
    await pa().waitForTimeout(1500);
    await pa().click(sel('record-stop'));
    await pa().click(sel('record-send'));
    await pb().click(sel('nav-chat'));
    await pb().locator(`.chat-item[data-name="${A.nick}"]`).click();
    const audio = pb().locator(`${sel('message-list')} ${sel('msg-audio')} audio`);
    await audio.waitFor();
    const src = await audio.getAttribute('src');
    expect(src && !src.startsWith('blob:')).toBe(true);
  });

  it('rings, connects with media both ways, and hangs up', async () => {
    await openFriendChat(pa(), B.nick);
    await pa().click(sel('tool-call-video'));
    await pb().locator(sel('rtc-accept')).waitFor({ timeout: 15_000 });
    await shot(pb(), '19-call-incoming');
    await pb().click(sel('rtc-accept'));
    await expect.poll(() => remoteTracks(pa()), { timeout: 20_000 }).toBeGreaterThan(0);
    await expect.poll(() => remoteTracks(pb()), { timeout: 20_000 }).toBeGreaterThan(0);
    await pa()
      .locator('.el-dialog__title', { hasText: /00:0\d/ })
      .waitFor();
    await shot(pa(), '20-call-connected');
    await pa().click(sel('rtc-hangup'));
    await pb().locator(sel('rtc-hangup')).waitFor({ state: 'hidden', timeout: 15_000 });
    await pa().locator(sel('rtc-hangup')).waitFor({ state: 'hidden' });
  });
});
