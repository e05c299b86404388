/**
 * A private chat with 10,000 cached messages: it opens fast, the DOM stays small (virtual
 * list), scrolling end to end stays smooth, and live messages still land at the bottom.
 */
import type { TestUser } from '@box-im/im-standalone/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { useE2E } from './fixture';
import { input, messageList, sel, sendText, shot, waitOnline } from './support';

const e2e = useE2E({ users: ['me'] });
const run = Date.now().toString(36).slice(-5);
const me = { user: `big${run}`, nick: `Big${run}`, id: 0 };
const peer = { user: `peer${run}`, nick: `Peer${run}`, id: 0 };
let peerUser: TestUser;

beforeAll(async () => {
  const a = await e2e.server.account({ userName: me.user, nickName: me.nick });
  peerUser = await e2e.server.account({ userName: peer.user, nickName: peer.nick });
  me.id = a.id;
  peer.id = peerUser.id;
  await e2e.server.befriend(peerUser, a);
});

describe('10,000 messages', () => {
  it('opens, scrolls and stays small', async () => {
    const page = e2e.page('me');
    await page.goto('/#/login');
    await page.waitForSelector(input('login-username'));
    // Seed the IndexedDB cache exactly as the app stores it (header + pages of 500).
    await page.evaluate(
      async ({ uid, pid, nick }) => {
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const req = indexedDB.open('box-im', 1);
          req.onupgradeneeded = () => req.result.createObjectStore('kv');
          req.onsuccess = () => resolve(req.result);
          req.onerror = () => reject(req.error);
        });
        const now = Date.now() - 10_000 * 60_000;
        const messages = Array.from({ length: 10_000 }, (_, i) => ({
          id: i - 10_000, // below every real id, so live messages sort after them
          sendId: i % 3 === 0 ? uid : pid,
          recvId: i % 3 === 0 ? pid : uid,
          content: `message #${i}` + (i % 7 === 0 ? '\nwith a second line' : ''),
          type: 0,
          status: 3,
          sendTime: now + i * 60_000,
          selfSend: i % 3 === 0,
        }));
        const PAGE = 500;
        const header = {
          type: 'PRIVATE',
          targetId: pid,
          showName: nick,
          headImage: '',
          isDnd: false,
          lastContent: 'message #9999',
          lastSendTime: messages[9999]!.sendTime,
          sendNickName: '',
          unreadCount: 0,
          atMe: false,
          atAll: false,
          pinned: true,
          pages: messages.length / PAGE,
        };
        const base = `chat-${uid}-PRIVATE-${pid}`;
        const tx = db.transaction('kv', 'readwrite');
        tx.objectStore('kv').put(
          { privateMaxId: 0, groupMaxId: 0, keys: [`PRIVATE-${pid}`] },
          `chats-${uid}`,
        );
        tx.objectStore('kv').put(header, base);
        for (let p = 0; p < header.pages; p++)
          tx.objectStore('kv').put(messages.slice(p * PAGE, (p + 1) * PAGE), `${base}-p${p}`);
        await new Promise((r) => (tx.oncomplete = r));
      },
      { uid: me.id, pid: peer.id, nick: peer.nick },
    );
    await page.fill(input('login-username'), me.user);
    await page.fill(input('login-password'), 'secret123');
    await page.click(sel('login-submit'));
    await waitOnline(page);

    const t0 = Date.now();
    await page.locator(`.chat-item[data-name="${peer.nick}"]`).click();
    await messageList(page).getByText('message #9999').waitFor();
    const openMs = Date.now() - t0;
    const rows = await page.locator('[data-msg]').count();
    console.log(`[scale] open 10k chat: ${openMs} ms, rendered rows: ${rows}`);
    expect(openMs).toBeLessThan(3000);
    expect(rows).toBeLessThan(120);

    // Scroll from bottom to top in 40 steps, measuring frame times.
    const frames = await page.evaluate(async () => {
      const el = document.querySelector<HTMLElement>('.vlist')!;
      const times: number[] = [];
      let last = performance.now();
      for (let i = 0; i < 40; i++) {
        el.scrollTop = el.scrollTop - el.scrollHeight / 40;
        await new Promise((r) => requestAnimationFrame(r));
        const now = performance.now();
        times.push(now - last);
        last = now;
      }
      el.scrollTop = 0;
      await new Promise((r) => setTimeout(r, 300));
      el.scrollTop = 0;
      await new Promise((r) => setTimeout(r, 300));
      return times;
    });
    const avg = frames.reduce((a, b) => a + b, 0) / frames.length;
    console.log(`[scale] scroll frames: avg ${avg.toFixed(1)} ms, max ${Math.max(...frames).toFixed(1)} ms`);
    expect(avg).toBeLessThan(150);
    await messageList(page).getByText('message #1', { exact: true }).waitFor();
    expect(await page.locator('[data-msg]').count()).toBeLessThan(120);
    await shot(page, '12-ten-thousand-top');

    // Live traffic still works: a new message from the peer, then my reply.
    const fresh = await peerUser.api.post('/message/private/send', {
      tmpId: `${Date.now()}`,
      recvId: me.id,
      content: 'fresh from peer',
      type: 0,
    });
    expect(fresh.code, fresh.message).toBe(200);
    await page.locator(sel('to-bottom')).click();
    await messageList(page).getByText('fresh from peer').waitFor();
    await sendText(page, 'reply at the bottom');
    await messageList(page).getByText('reply at the bottom').waitFor();
    await shot(page, '13-ten-thousand-bottom');
  });
});
