/**
 * Calls on the H5 mobile client (390×844, touch) with Chromium's fake camera and microphone:
 * a one-to-one video call from the phone to a user on im-web (ring, accept, video flowing both
 * ways, hang up, the call record in both chats), and a group video call started on the phone
 * with two im-web users (mesh, camera state, leave, end tip).
 */
import { fakeMediaArgs, type TestServer, type TestUser } from '@box-im/im-standalone/testing';
import type { Page } from 'playwright-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  backToTabs,
  type BrowserUser,
  h5Login,
  phoneSuite,
  shot,
  tab,
  uniInstalled,
  v,
  webLogin,
  webOpenChat,
} from './support';

const run = Date.now().toString(36).slice(-5);
const sel = (test: string) => `[data-test="${test}"]`;

let server: TestServer;
let h5: Page; // Alice on the phone
let bobWeb: Page;
let carolWeb: Page;
let alice: TestUser;
let bob: TestUser;
let carol: TestUser;
const group = `Gcall${run}`;

/**
 * Keep every RTCPeerConnection the page makes, so the test can read their stats. Page scripts
 * are text here: this package's tests are checked without the DOM library.
 */
const RECORD_PEER_CONNECTIONS = `
  const Native = window.RTCPeerConnection;
  window.__pcs = [];
  window.RTCPeerConnection = class extends Native {
    constructor(config) {
      super(config);
      window.__pcs.push(this);
    }
  };`;

/** Inbound video bytes of each open connection of the page. */
const INBOUND_VIDEO = `(async () => {
  const out = [];
  for (const pc of window.__pcs ?? []) {
    if (pc.connectionState === 'closed') continue;
    let bytes = 0;
    (await pc.getStats()).forEach((s) => {
      if (s.type === 'inbound-rtp' && s.kind === 'video') bytes += s.bytesReceived ?? 0;
    });
    out.push(bytes);
  }
  return out;
})()`;
const inboundVideo = (page: Page) => page.evaluate<number[]>(INBOUND_VIDEO);

/**
 * How long a step of a call may take: signalling through the server, ICE on loopback, the
 * first decoded frames. Generous, since a loaded machine (several suites on two cores) slows
 * every page down; a step that works is waited for, never timed.
 */
const STEP = { timeout: 45_000 };

/** Each of `peers` open connections of the page receives video, more and more. */
async function receivesFrom(page: Page, peers: number) {
  await expect.poll(async () => (await inboundVideo(page)).length, STEP).toBe(peers);
  await expect.poll(async () => (await inboundVideo(page)).filter((b) => b > 0).length, STEP).toBe(peers);
  const before = await inboundVideo(page);
  await expect
    .poll(async () => {
      const after = await inboundVideo(page);
      return after.length === before.length && after.every((b, i) => b > before[i]!);
    }, STEP)
    .toBe(true);
}

/** The camera and the microphone allowed, every RTCPeerConnection kept. */
async function forCalls(u: BrowserUser): Promise<BrowserUser> {
  await u.ctx.grantPermissions(['camera', 'microphone'], { origin: server.url });
  await u.ctx.addInitScript({ content: RECORD_PEER_CONNECTIONS });
  return u;
}

/** A visible call control of either client (uni's `:visible` selector or im-web's data-test). */
const controls = ['rtc-hangup', 'rtc-reject', 'gcall-leave', 'gcall-reject'];

/**
 * What a failed test may leave behind, so that it does not fail the next ones too: every call
 * hung up, rejected or left on every page, and every call screen or dialog closed.
 */
async function endCalls(): Promise<void> {
  const pages = [h5, bobWeb, carolWeb].filter((p) => p !== undefined);
  for (const page of pages)
    for (const control of controls) {
      const button = page.locator(`${sel(control)}:visible`);
      if (await button.count())
        await button
          .first()
          .click({ timeout: 5000 })
          .catch(() => undefined);
    }
  for (const page of pages)
    for (const screen of ['rtc', 'gcall', 'gcall-ringing'])
      await page
        .locator(`${sel(screen)}:visible`)
        .first()
        .waitFor({ state: 'hidden', ...STEP });
}

describe.skipIf(!uniInstalled())('calls on the H5 client', () => {
  const suite = phoneSuite({ name: 'rtc', env: { WEBRTC_ICE_SERVERS: '[]' }, browserArgs: fakeMediaArgs() });
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') await endCalls();
  });

  beforeAll(async () => {
    server = suite.server;
    alice = await server.account({ userName: `ali${run}`, nickName: `Ali${run}` });
    bob = await server.account({ userName: `bo${run}`, nickName: `Bo${run}` });
    carol = await server.account({ userName: `cy${run}`, nickName: `Cy${run}` });
    await server.befriend(alice, bob);
    await server.befriend(alice, carol);
    const created = await alice.api.post<{ id: number }>('/group/create', { name: group });
    const invited = await alice.api.post('/group/invite', {
      groupId: created.data!.id,
      friendIds: [bob.id, carol.id],
    });
    expect(invited.code, invited.message).toBe(200);
    h5 = (await forCalls(await suite.phone('h5'))).page;
    bobWeb = (await forCalls(await suite.desktop('bob-web'))).page;
    carolWeb = (await forCalls(await suite.desktop('carol-web'))).page;
    await h5Login(h5, alice.userName);
    await webLogin(bobWeb, bob.userName);
    await webLogin(carolWeb, carol.userName);
  }, 300_000);

  it('calls im-web by video from the phone: ring, accept, video both ways, hang up, call record', async () => {
    await backToTabs(h5);
    await tab(h5, 1);
    await h5.click(v(`friend-${bob.nickName}`));
    await h5.click(v('user-send'));
    await h5.waitForURL(/chat-box/, STEP);
    await h5.click(v('tool-more'));
    await h5.click(v('tool-call-video'));
    await h5.waitForSelector(`${v('rtc')}[data-state="waiting"]`, STEP);
    await shot(h5, '30-call-calling');

    await bobWeb.locator(sel('rtc-accept')).waitFor(STEP);
    await bobWeb.click(sel('rtc-accept'));
    await h5.waitForSelector(`${v('rtc')}[data-state="chatting"]`, STEP);
    await receivesFrom(h5, 1);
    await receivesFrom(bobWeb, 1);
    // Connected: the status is the call's running timer (mm:ss, past 00:00), not "calling".
    await expect.poll(() => h5.locator(v('rtc-status')).textContent(), STEP).toMatch(/^(?!00:00)\d\d:\d\d$/);
    await shot(h5, '31-call-connected');

    await h5.click(v('rtc-hangup'));
    await bobWeb.locator(sel('rtc')).waitFor({ state: 'hidden', ...STEP });
    await h5.waitForSelector(sel('rtc'), { state: 'detached', ...STEP });
    await h5.waitForURL(/chat-box/, STEP);
    await h5.locator(v('msg-call'), { hasText: /\d\d:\d\d/ }).waitFor(STEP);
    await webOpenChat(bobWeb, alice.nickName);
    await bobWeb.locator(sel('message-list'), { hasText: /🎥.*\d\d:\d\d/ }).waitFor(STEP);
    await shot(h5, '32-call-record');
  }, 300_000);

  it('receives a call from im-web on the phone and the caller cancels', async () => {
    const before = h5.url(); // the phone goes back there when the call ends
    await webOpenChat(bobWeb, alice.nickName);
    await bobWeb.click(sel('tool-call-voice'));
    await h5.waitForSelector(v('rtc-accept'), STEP);
    await shot(h5, '33-call-incoming');
    await bobWeb.click(sel('rtc-hangup'));
    await bobWeb.locator(sel('rtc')).waitFor({ state: 'hidden', ...STEP });
    await h5.waitForSelector(sel('rtc'), { state: 'detached', ...STEP });
    await h5.waitForURL(before, STEP);
  });

  it('starts a group video call on the phone with two im-web users, leaves and joins from the banner', async () => {
    await backToTabs(h5);
    await tab(h5, 2);
    await h5.click(v(`group-${group}`));
    await h5.click(v('group-send'));
    await h5.waitForURL(/chat-box\?type=GROUP/, STEP);
    await h5.click(v('tool-more'));
    await h5.click(v('tool-call-group'));
    await h5.click(v(`gcall-pick-${bob.id}`));
    await h5.click(v(`gcall-pick-${carol.id}`));
    await h5.click(v('gcall-pick-confirm'));
    await h5.waitForSelector(`${v('gcall')}[data-state="chatting"]`, STEP);
    for (const p of [bobWeb, carolWeb]) {
      await p.locator(sel('gcall-accept')).waitFor(STEP);
      await p.click(sel('gcall-accept'));
    }
    for (const p of [h5, bobWeb, carolWeb]) await receivesFrom(p, 2);
    await h5
      .locator(v(`gcall-tile-${bob.id}`))
      .locator('video')
      .waitFor(STEP);
    await shot(h5, '34-group-call');

    // The phone turns its camera off: the others see it.
    await h5.click(v('gcall-camera'));
    for (const p of [bobWeb, carolWeb])
      await expect
        .poll(() => p.locator(sel(`gcall-tile-${alice.id}`)).getAttribute('data-camera'), STEP)
        .toBe('false');
    await h5.click(v('gcall-camera'));

    // Bob leaves; the phone and Carol keep receiving from each other.
    await bobWeb.click(sel('gcall-leave'));
    await h5.locator(v(`gcall-tile-${bob.id}`)).waitFor({ state: 'detached', ...STEP });
    await receivesFrom(h5, 1);
    await receivesFrom(carolWeb, 1);

    // The phone leaves (the call goes on with Carol) and joins again from the chat's banner.
    await h5.click(v('gcall-leave'));
    await h5.waitForURL(/chat-box\?type=GROUP/, STEP);
    await h5.locator(v('gcall-join')).waitFor(STEP);
    await shot(h5, '35-group-call-banner');
    await h5.click(v('gcall-join'));
    await h5.waitForSelector(`${v('gcall')}[data-state="chatting"]`, STEP);
    await receivesFrom(h5, 1);
    await receivesFrom(carolWeb, 1);
    await expect.poll(() => h5.locator(v('gcall-timer')).textContent(), STEP).toMatch(/\d\d:\d\d/);

    await h5.click(v('gcall-leave'));
    await carolWeb.click(sel('gcall-leave'));
    await h5.waitForURL(/chat-box\?type=GROUP/, STEP);
    await h5.locator(v('msg-tip'), { hasText: /群通话已结束,通话时长 \d\d:\d\d/ }).waitFor(STEP);
    await expect.poll(() => h5.locator(v('gcall-banner')).count(), STEP).toBe(0);
  }, 300_000);
});
