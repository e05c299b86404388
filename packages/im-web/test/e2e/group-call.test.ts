/**
 * Group video call (issue 14) between four browser contexts with fake camera/microphone:
 * A calls B and C, both accept, every participant receives video from both others over its
 * mesh connections; C turns the camera off and the others see it; B leaves and A and C keep
 * receiving; D joins from the chat's banner; the last to leave ends the call with a tip.
 */
import { fakeMediaArgs } from '@box-im/im-standalone/testing';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useE2E } from './fixture';
import { login, openChat, sel, shot } from './support';

const e2e = useE2E({
  users: ['a', 'b', 'c', 'd'],
  env: { WEBRTC_ICE_SERVERS: '[]' },
  browserArgs: fakeMediaArgs(),
  permissions: ['camera', 'microphone'],
});
const run = Date.now().toString(36).slice(-5);
const NAMES = ['a', 'b', 'c', 'd'] as const;
const who = Object.fromEntries(
  NAMES.map((n) => [n, { user: `gc${n}${run}`, nick: `Gc${n.toUpperCase()}${run}` }]),
);
const group = `Call${run}`;
const ids: Record<string, number> = {};
const p = (n: string) => e2e.page(n);

/** Every RTCPeerConnection the page makes, so the test can read their stats. */
function recordPeerConnections() {
  const Native = window.RTCPeerConnection;
  const all: RTCPeerConnection[] = [];
  (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs = all;
  window.RTCPeerConnection = class extends Native {
    constructor(config?: RTCConfiguration) {
      super(config);
      all.push(this);
    }
  } as typeof RTCPeerConnection;
}

/** Inbound video bytes of each open connection of the page. */
const inboundVideo = (page: Page) =>
  page.evaluate(async () => {
    const pcs = (window as unknown as { __pcs?: RTCPeerConnection[] }).__pcs ?? [];
    const out: number[] = [];
    for (const pc of pcs) {
      if (pc.connectionState === 'closed') continue;
      let bytes = 0;
      (await pc.getStats()).forEach((s: { type: string; kind?: string; bytesReceived?: number }) => {
        if (s.type === 'inbound-rtp' && s.kind === 'video') bytes += s.bytesReceived ?? 0;
      });
      out.push(bytes);
    }
    return out;
  });

/** Each of `peers` open connections receives video, more and more. */
async function receivesFrom(page: Page, peers: number) {
  await expect.poll(async () => (await inboundVideo(page)).length, { timeout: 20_000 }).toBe(peers);
  await expect
    .poll(async () => (await inboundVideo(page)).filter((b) => b > 0).length, { timeout: 20_000 })
    .toBe(peers);
  const before = await inboundVideo(page);
  await expect
    .poll(
      async () => {
        const after = await inboundVideo(page);
        return after.length === before.length && after.every((b, i) => b > before[i]!);
      },
      { timeout: 15_000 },
    )
    .toBe(true);
}

const tile = (page: Page, n: string) => page.locator(sel(`gcall-tile-${ids[n]}`));

beforeAll(async () => {
  const { server } = e2e;
  const users = [];
  for (const n of NAMES) {
    const u = await server.account({ userName: who[n]!.user, nickName: who[n]!.nick });
    ids[n] = u.id;
    users.push(u);
  }
  const [owner, ...rest] = users;
  for (const u of rest) await server.befriend(owner!, u);
  const created = await owner!.api.post<{ id: number }>('/group/create', { name: group });
  const invited = await owner!.api.post('/group/invite', {
    groupId: created.data!.id,
    friendIds: rest.map((u) => u.id),
  });
  expect(invited.code, invited.message).toBe(200);
  for (const n of NAMES) {
    await e2e.user(n).ctx.addInitScript(recordPeerConnections);
    await login(p(n), who[n]!.user);
  }
}, 120_000);

describe('group video call', () => {
  it('connects a mesh, shows camera state, survives a leave, takes a late joiner, ends with a tip', async () => {
    await openChat(p('a'), group);
    await p('a').click(sel('tool-group-call'));
    for (const n of ['b', 'c']) await p('a').click(`${sel(`pick-${ids[n]}`)} .el-checkbox`);
    await p('a').click(sel('picker-ok'));
    for (const n of ['b', 'c']) {
      await p(n).locator(sel('gcall-accept')).waitFor({ timeout: 15_000 });
      await p(n).click(sel('gcall-accept'));
    }
    await shot(p('a'), '40-group-call');
    for (const n of ['a', 'b', 'c']) await receivesFrom(p(n), 2);
    await p('a')
      .locator('.el-dialog__title', { hasText: /\d\d:\d\d/ })
      .waitFor();

    await p('c').click(sel('gcall-camera'));
    for (const n of ['a', 'b'])
      await expect.poll(() => tile(p(n), 'c').getAttribute('data-camera')).toBe('false');
    await expect(tile(p('a'), 'c').locator('video').isVisible()).resolves.toBe(false);

    await p('b').click(sel('gcall-leave'));
    await p('b').locator(sel('gcall')).waitFor({ state: 'hidden' });
    for (const n of ['a', 'c']) {
      await tile(p(n), 'b').waitFor({ state: 'detached' });
      await receivesFrom(p(n), 1);
    }

    await openChat(p('d'), group);
    await p('d').locator(sel('gcall-join')).waitFor({ timeout: 15_000 });
    await p('d').click(sel('gcall-join'));
    await receivesFrom(p('d'), 2);
    for (const n of ['a', 'c']) await receivesFrom(p(n), 2);
    await shot(p('d'), '41-group-call-joined');

    for (const n of ['a', 'c', 'd']) await p(n).click(sel('gcall-leave'));
    for (const n of NAMES) {
      await openChat(p(n), group);
      await p(n)
        .locator(sel('msg-tip'), { hasText: /群通话已结束,通话时长 \d\d:\d\d/ })
        .waitFor({ timeout: 15_000 });
    }
    await expect(p('b').locator(sel('gcall-banner')).count()).resolves.toBe(0);
  }, 110_000);
});
