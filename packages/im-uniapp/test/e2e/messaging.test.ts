/**
 * Issue 15 on the phone (H5 build, 390×844 touch, real standalone server), two phones, Alice
 * and Bob: Alice replies to Bob's message and the quote shows on both phones; Bob recalls the
 * original and both quotes turn "recalled"; Alice forwards one message as is and three merged
 * to a group and opens the chat record; Alice searches a Chinese word and lands on the
 * message, loaded from the server's history after the chat was deleted on the phone; a tap
 * on a quote whose original is not loaded pages the history in and lands on it.
 */
import { ClientStatus } from '@box-im/im-app-core';
import { MessageType } from '@box-im/im-common';
import type { TestServer, TestUser } from '@box-im/im-standalone/testing';
import type { CDPSession, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { field, h5Login, h5Send, hold, PHONE, phoneSuite, sheetItem, shot, uniInstalled, v } from './support';

const run = Date.now().toString(36).slice(-5);
const GROUP = `Trip${run}`;

let server: TestServer;
let alice: TestUser;
let bob: TestUser;
let groupId = 0;
let pa: Page; // Alice's phone
let pb: Page; // Bob's phone
let ca: CDPSession;
let cb: CDPSession;

const list = (p: Page) => p.locator('[data-test="msg-list"]:visible');
/** The message row (not a quote, not a record) whose bubble holds `text`. */
const row = (p: Page, text: string) =>
  list(p).locator('.row', { has: p.locator('[data-test="msg-text"]', { hasText: text }) });
const quoteOf = (p: Page, replyText: string) => row(p, replyText).locator('[data-test="msg-quote"]');
const toast = (p: Page, text: string) => p.locator('.uni-simple-toast__text', { hasText: text });
const allSent = (p: Page) => expect.poll(() => list(p).locator('[data-test="msg-sending"]').count()).toBe(0);

async function longPress(p: Page, cdp: CDPSession, text: string, item: string) {
  await hold(p, cdp, `[data-test="msg-text"]:visible:has-text("${text}")`, 900, true);
  await p.click(sheetItem(item));
}

async function privateHistory(user: TestUser, peer: number) {
  const res = await user.api.get<
    { id: number; content: string; type: number; quoteMessage?: { status: number } }[]
  >(`/message/private/history?friendId=${peer}&page=1&size=50`);
  return res.data!;
}

describe.skipIf(!uniInstalled())('H5 mobile client: reply, forward, search', () => {
  const suite = phoneSuite({ name: 'msg', web: false });

  beforeAll(async () => {
    server = suite.server;
    alice = await server.account({ userName: `ali${run}`, nickName: `Ali${run}` });
    bob = await server.account({ userName: `bo${run}`, nickName: `Bo${run}` });
    await server.befriend(alice, bob);
    const created = await bob.api.post<{ id: number }>(`/group/create?groupName=${GROUP}`, { name: GROUP });
    groupId = created.data!.id;
    await bob.api.post('/group/invite', { groupId, friendIds: [alice.id] });
    const a = await suite.phone('alice');
    const b = await suite.phone('bob');
    [pa, pb] = [a.page, b.page];
    ca = await a.ctx.newCDPSession(pa);
    cb = await b.ctx.newCDPSession(pb);
    await h5Login(pa, alice.userName);
    await h5Login(pb, bob.userName);
  });

  it('replies to a message: the quote shows on both phones and leads to the original', async () => {
    // Bob writes from his phone; Alice opens the chat from her list.
    await pb.goto(`/h5/#/pages/chat/chat-box?type=PRIVATE&id=${alice.id}`);
    await h5Send(pb, '明天几点出发？');
    await allSent(pb);
    await pa.click(v(`chat-item-${bob.nickName}`));
    await row(pa, '明天几点出发？').waitFor();

    await longPress(pa, ca, '明天几点出发？', '回复');
    await pa.locator(v('reply-bar')).getByText('明天几点出发？').waitFor();
    await shot(pa, 'msg-01-reply-bar');
    await h5Send(pa, '八点，东门见');
    await allSent(pa);
    await expect(pa.locator(v('reply-bar')).count()).resolves.toBe(0);
    await expect.poll(() => quoteOf(pa, '八点，东门见').textContent()).toContain('明天几点出发？');

    // Bob's phone shows the reply with its quote, live.
    await quoteOf(pb, '八点，东门见').waitFor();
    expect(await quoteOf(pb, '八点，东门见').textContent()).toContain(`${bob.nickName}: 明天几点出发？`);
    // The server stored the quote.
    const stored = (await privateHistory(bob, alice.id)).find((m) => m.content === '八点，东门见');
    expect(stored?.quoteMessage?.status).not.toBe(ClientStatus.RECALL);

    // A tap on the quote brings the original into view, marked.
    await quoteOf(pa, '八点，东门见').click();
    await expect.poll(() => row(pa, '明天几点出发？').getAttribute('data-marked')).toBe('1');
    await shot(pa, 'msg-02-reply');
  });

  it('shows the quote as recalled on both phones once the original is recalled', async () => {
    await longPress(pb, cb, '明天几点出发？', '撤回');
    await list(pb).locator('[data-test="msg-recalled"]').last().waitFor();
    for (const p of [pa, pb]) {
      const q = quoteOf(p, '八点，东门见');
      await expect.poll(() => q.getAttribute('data-quote-status')).toBe(String(ClientStatus.RECALL));
      await expect.poll(() => q.textContent()).toContain('引用内容已撤回');
      expect(await q.textContent()).not.toContain('明天几点出发？');
    }
    const stored = (await privateHistory(alice, bob.id)).find((m) => m.content === '八点，东门见');
    expect(stored?.quoteMessage?.status).toBe(ClientStatus.RECALL);
    // A tap on a recalled quote says so (nothing to jump to).
    await quoteOf(pa, '八点，东门见').click();
    await toast(pa, '引用内容已撤回').waitFor();
    await shot(pa, 'msg-03-quote-recalled');
  });

  it('forwards one message as is and three merged to a group, and opens the chat record', async () => {
    // Back to back, faster than uni-app's 100 ms input throttle: each send takes what the
    // field holds at Enter, none is lost and the composer ends empty.
    for (const text of ['带水', '带伞', '带相机']) await h5Send(pa, text);
    for (const text of ['带水', '带伞', '带相机']) await row(pa, text).waitFor();
    await expect.poll(() => pa.locator(field('chat-input')).inputValue()).toBe('');
    await allSent(pa);
    const ids = await Promise.all(
      ['带水', '带伞', '带相机'].map(async (text) =>
        Number(await row(pa, text).locator('[data-test="msg-self"]').getAttribute('data-id')),
      ),
    );
    // One message from its menu, as is, to the group.
    await longPress(pa, ca, '带伞', '转发');
    await pa.waitForURL(/pages\/chat\/forward/);
    await pa.click(v(`forward-target-${GROUP}`));
    await pa.click(v('forward-confirm'));
    await pa.waitForURL(/chat-box/);
    await expect
      .poll(async () => {
        const h = await bob.api.get<{ type: number; content: string; sendId: number }[]>(
          `/message/group/history?groupId=${groupId}&page=1&size=10`,
        );
        return h
          .data!.filter((m) => m.type === MessageType.TEXT && m.sendId === alice.id)
          .map((m) => m.content);
      })
      .toEqual(['带伞']);

    await longPress(pa, ca, '带水', '多选');
    await pa.locator(v('select-bar')).waitFor();
    await pa.click(v(`select-${ids[1]}`));
    await pa.click(v(`select-${ids[2]}`));
    await pa.locator(v('select-bar')).getByText('已选 3 条').waitFor();
    await shot(pa, 'msg-04-select');
    await pa.click(v('select-forward-merged'));
    await pa.waitForURL(/pages\/chat\/forward/);
    await pa.click(v(`forward-target-${GROUP}`));
    await shot(pa, 'msg-05-forward-targets');
    await pa.click(v('forward-confirm'));
    await pa.waitForURL(/chat-box/);
    await expect(pa.locator(v('select-bar')).count()).resolves.toBe(0);

    // One chat record in the group, on the server and on Bob's phone.
    const history = await bob.api.get<{ type: number; content: string; sendId: number }[]>(
      `/message/group/history?groupId=${groupId}&page=1&size=10`,
    );
    const record = history.data!.find((m) => m.type === MessageType.CHAT_RECORD);
    expect(record?.sendId).toBe(alice.id);
    expect(
      (JSON.parse(record!.content) as { items: { content: string }[] }).items.map((i) => i.content),
    ).toEqual(['带水', '带伞', '带相机']);
    await pb.goto('/h5/#/pages/chat/chat');
    await pb.click(v(`chat-item-${GROUP}`));
    await list(pb).locator('[data-test="msg-record"]').waitFor();

    // Alice opens it from the group chat: the three messages, with sender and time.
    await pa.goBack();
    await pa.click(v(`chat-item-${GROUP}`));
    const card = list(pa).locator('[data-test="msg-record"]').last();
    await expect.poll(() => card.textContent()).toContain(alice.nickName);
    expect(await card.textContent()).toContain(bob.nickName);
    await card.click();
    await pa.waitForURL(/pages\/chat\/record/);
    const items = pa.locator('[data-test="record-item"]:visible');
    await expect.poll(() => items.count()).toBe(3);
    expect(await items.allTextContents()).toEqual([
      expect.stringContaining('带水'),
      expect.stringContaining('带伞'),
      expect.stringContaining('带相机'),
    ]);
    expect(await items.first().textContent()).toContain(alice.nickName);
    await shot(pa, 'msg-06-record');
    await pa.goBack();
  });

  it('searches a Chinese word and lands on the message, loaded from history', async () => {
    let sent = 0;
    const send = async (content: string) => {
      const res = await bob.api.post('/message/group/send', {
        tmpId: `${run}-${++sent}`, // at most 32 characters (the server's schema)
        groupId,
        content,
        type: MessageType.TEXT,
        receipt: false,
        atUserIds: [],
      });
      expect(res.code, `${content}: ${res.message}`).toBe(200);
    };
    await send('周末一起去爬长城吧');
    for (let i = 0; i < 30; i++) await send(`filler ${i}`);
    await pa.goto('/h5/#/pages/chat/chat');
    await pa.locator(`${v(`chat-item-${GROUP}`)} >> text=filler 29`).waitFor();
    // Deleted on the phone: the hit has to come back from the server's history.
    await hold(pa, ca, v(`chat-item-${GROUP}`), 900, true);
    await pa.click(sheetItem('删除该聊天'));
    await expect.poll(() => pa.locator(v(`chat-item-${GROUP}`)).count()).toBe(0);

    await pa.click(v('msg-search-entry'));
    await pa.waitForURL(/pages\/chat\/search/);
    await pa.fill(field('msg-search-input'), '长城');
    await pa.press(field('msg-search-input'), 'Enter');
    const hit = pa.locator(v('msg-search-hit'), { hasText: '周末一起去爬长城吧' });
    await hit.waitFor();
    expect(await hit.locator('[data-test="msg-search-mark"]').allTextContents()).toEqual(['长城']);
    expect(await hit.textContent()).toContain(GROUP);
    await shot(pa, 'msg-07-search');
    await hit.click();
    await pa.waitForURL(/chat-box\?type=GROUP.*mid=/);
    const target = row(pa, '周末一起去爬长城吧');
    await expect.poll(() => target.getAttribute('data-marked')).toBe('1');
    await expect.poll(() => target.isVisible()).toBe(true);
    const box = await target.boundingBox();
    expect(box && box.y >= 0 && box.y < PHONE.height).toBe(true);
    // The messages after it came with it (history paged in, not the hit alone).
    expect(await list(pa).getByText('filler 0', { exact: true }).count()).toBe(1);
    await shot(pa, 'msg-08-search-landed');
  });

  it('taps a quote whose original is not loaded and lands on it, paged in from history', async () => {
    let sent = 0;
    const send = async (content: string, quoteMessageId?: number) => {
      const res = await bob.api.post<{ id: number }>('/message/private/send', {
        tmpId: `${run}-q${++sent}`,
        recvId: alice.id,
        content,
        type: MessageType.TEXT,
        ...(quoteMessageId ? { quoteMessageId } : {}),
      });
      expect(res.code, `${content}: ${res.message}`).toBe(200);
      return res.data!.id;
    };
    // The original, then more than a history page (50) after it: it is on the second page.
    const original = await send('周三的会改到十点');
    for (let i = 0; i < 60; i++) await send(`later ${i}`);
    await pa.goto('/h5/#/pages/chat/chat');
    await pa.locator(`${v(`chat-item-${bob.nickName}`)} >> text=later 59`).waitFor();
    // Deleted on the phone: the chat comes back with the reply alone.
    await hold(pa, ca, v(`chat-item-${bob.nickName}`), 900, true);
    await pa.click(sheetItem('删除该聊天'));
    await expect.poll(() => pa.locator(v(`chat-item-${bob.nickName}`)).count()).toBe(0);
    await send('十点可以', original);
    await pa.locator(`${v(`chat-item-${bob.nickName}`)} >> text=十点可以`).click();
    await quoteOf(pa, '十点可以').waitFor();
    expect(await row(pa, '周三的会改到十点').count()).toBe(0);

    await quoteOf(pa, '十点可以').click();
    const target = row(pa, '周三的会改到十点');
    await expect.poll(() => target.getAttribute('data-marked')).toBe('1');
    await expect.poll(() => target.isVisible()).toBe(true);
    const box = await target.boundingBox();
    expect(box && box.y >= 0 && box.y < PHONE.height).toBe(true);
    // Two pages of history came in, the messages between them too.
    expect(await list(pa).getByText('later 0', { exact: true }).count()).toBe(1);
    await shot(pa, 'msg-09-quote-landed');
  });
});
