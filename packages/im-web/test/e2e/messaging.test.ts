/**
 * Issue 15, messaging in the browser: reply to a message and see the quote on the other
 * side, recall the original and see both sides' quotes change; forward three messages merged
 * to a group and open the record; search a Chinese word and land on the message.
 */
import type { TestUser } from '@box-im/im-standalone/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { useE2E } from './fixture';
import { input, login, messageList, openChat, openFriendChat, sel, sendText, shot } from './support';

const e2e = useE2E();
const pa = () => e2e.page('a');
const pb = () => e2e.page('b');
const run = Date.now().toString(36).slice(-5);
const A = { user: `amy${run}`, nick: `Amy${run}` };
const B = { user: `bo${run}`, nick: `Bo${run}` };
let amy: TestUser;
let bo: TestUser;
const G_NAME = () => `Team${run}`;

beforeAll(async () => {
  amy = await e2e.server.account({ userName: A.user, nickName: A.nick });
  bo = await e2e.server.account({ userName: B.user, nickName: B.nick });
  await e2e.server.befriend(amy, bo);
  await login(pa(), A.user);
  await login(pb(), B.user);
});

/** The row of the message whose own bubble (not a quote) holds `text`. */
const row = (page: ReturnType<typeof pa>, text: string) =>
  messageList(page).locator(`[data-msg]:has(.bubble:has-text("${text}"))`).last();

describe('im-web messaging (issue 15)', () => {
  it('replies with a quote; the other side sees it; recalling the original changes both quotes', async () => {
    await openFriendChat(pb(), A.nick);
    await sendText(pb(), '原文消息');
    await openChat(pa(), B.nick);
    await row(pa(), '原文消息').locator('.bubble').click({ button: 'right' });
    await pa().click(sel('menu-reply'));
    await pa().locator(sel('reply-bar')).getByText('原文消息').waitFor();
    await pa().fill(input('chat-input'), '这是回复');
    await pa().press(input('chat-input'), 'Enter');
    await pa().locator(sel('reply-bar')).waitFor({ state: 'hidden' });
    const mine = row(pa(), '这是回复');
    await mine.locator(sel('msg-quote')).getByText(`${B.nick}: 原文消息`).waitFor();

    const theirs = row(pb(), '这是回复');
    await theirs.locator(sel('msg-quote')).getByText(`${B.nick}: 原文消息`).waitFor({ timeout: 15_000 });
    await shot(pb(), '40-reply-quote');

    // Bo recalls the original: the quote turns "recalled" on both sides, live
    await row(pb(), '原文消息').locator('.bubble').click({ button: 'right' });
    await pb().click(sel('menu-recall'));
    await pb().locator('.el-message-box .el-button--primary').click();
    await theirs
      .locator(`${sel('msg-quote')}[data-quote-status="2"]`)
      .getByText('引用内容已撤回')
      .waitFor();
    await mine
      .locator(`${sel('msg-quote')}[data-quote-status="2"]`)
      .getByText('引用内容已撤回')
      .waitFor({ timeout: 15_000 });
    await expect.poll(() => messageList(pa()).getByText('原文消息').count()).toBe(0);
    await shot(pa(), '41-reply-quote-recalled');
  });

  it('forwards three messages merged to a group; the record opens as the list on both sides', async () => {
    const G = G_NAME();
    const created = await amy.api.post('/group/create', { name: G });
    expect(created.code, created.message).toBe(200);
    const groupId = created.data.id as number;
    await amy.api.post('/group/invite', { groupId, friendIds: [bo.id] });
    // Bo's message puts the group in Amy's chat list
    await bo.api.post('/message/group/send', { groupId, content: '群里好', type: 0 });
    await pa().locator(`.chat-item[data-name="${G}"]`).waitFor({ timeout: 15_000 });

    await openChat(pa(), B.nick);
    for (const text of ['转发一', '转发二', '转发三']) await sendText(pa(), text);
    await row(pa(), '转发三')
      .locator(sel('msg-read'))
      .or(row(pa(), '转发三').locator(sel('msg-unread')))
      .waitFor();
    await row(pa(), '转发一').locator('.bubble').click({ button: 'right' });
    await pa().click(sel('menu-select'));
    await row(pa(), '转发二').click();
    await row(pa(), '转发三').click();
    await pa().locator(sel('select-count')).getByText('3').waitFor();
    await pa().click(sel('forward-merged'));
    await pa()
      .locator(sel(`forward-target-${G}`))
      .click();
    await pa().click(sel('forward-confirm'));
    await pa().locator(sel('select-bar')).waitFor({ state: 'hidden' });

    await openChat(pa(), G);
    const card = messageList(pa()).locator(sel('msg-record')).last();
    await card.getByText('转发一').waitFor();
    await card.click();
    const items = pa().locator(`${sel('record-items')} ${sel('record-item')}`);
    await expect
      .poll(() => items.allInnerTexts())
      .toEqual([
        expect.stringContaining('转发一'),
        expect.stringContaining('转发二'),
        expect.stringContaining('转发三'),
      ]);
    await shot(pa(), '42-forward-record');
    await pa().keyboard.press('Escape');

    await openChat(pb(), G);
    await messageList(pb()).locator(sel('msg-record')).last().click({ timeout: 15_000 });
    await expect
      .poll(() =>
        pb()
          .locator(`${sel('record-items')} ${sel('record-item')}`)
          .count(),
      )
      .toBe(3);
    await pb().keyboard.press('Escape');
  });

  it('searches a Chinese word and lands on the message inside its chat', async () => {
    const target = await bo.api.post('/message/private/send', {
      recvId: amy.id,
      content: '周末我们去爬山吧',
      type: 0,
    });
    expect(target.code, target.message).toBe(200);
    for (let i = 0; i < 25; i++)
      await bo.api.post('/message/private/send', { recvId: amy.id, content: `后面的消息 ${i}`, type: 0 });
    await pa().click(sel('nav-chat'));
    await pa().fill(input('chat-search'), '爬山');
    await pa().press(input('chat-search'), 'Enter');
    const hit = pa()
      .locator(`${sel('search-results')} ${sel('search-hit')}`)
      .filter({ hasText: '周末我们去爬山吧' });
    await hit.waitFor();
    await hit.click();
    await pa().waitForSelector(`${sel('chat-title')}:has-text("${B.nick}")`);
    const landed = messageList(pa()).locator(`[data-hit]`);
    await landed.getByText('周末我们去爬山吧').waitFor();
    // in view: inside the visible part of the message list
    await expect
      .poll(async () => {
        const box = await landed.boundingBox();
        const list = await messageList(pa()).boundingBox();
        return Boolean(box && list && box.y >= list.y && box.y + box.height <= list.y + list.height);
      })
      .toBe(true);
    await shot(pa(), '43-search-landed');
  });
});
