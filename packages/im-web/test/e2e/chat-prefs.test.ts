/**
 * Issue 15, pinned chats and drafts synced per user. Amy pins a chat and leaves a draft in one
 * browser; her second browser (a later login: one web terminal per user, as in box-im) shows
 * the chat pinned on top, the draft as "[草稿]" and back in the input. A pin made on her app
 * terminal reaches the open browser live.
 */
import type { TestUser } from '@box-im/im-standalone/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { useE2E } from './fixture';
import { input, login, openChat, sel, shot } from './support';

const e2e = useE2E({ users: ['a', 'a2'] });
const p1 = () => e2e.page('a');
const p2 = () => e2e.page('a2');
const run = Date.now().toString(36).slice(-5);
const A = { user: `amy${run}`, nick: `Amy${run}` };
const B = { nick: `Bo${run}` };
const C = { nick: `Cy${run}` };
let amy: TestUser;
let cy: TestUser;

beforeAll(async () => {
  amy = await e2e.server.account({ userName: A.user, nickName: A.nick });
  const bo = await e2e.server.account({ userName: `bo${run}`, nickName: B.nick });
  cy = await e2e.server.account({ userName: `cy${run}`, nickName: C.nick });
  await e2e.server.befriend(amy, bo);
  await e2e.server.befriend(amy, cy);
  await bo.api.post('/message/private/send', { recvId: amy.id, content: '早', type: 0 });
  // Cy wrote last (message times have whole seconds): Cy's chat is on top until Bo's is pinned
  e2e.server.clock.advance(2000);
  await cy.api.post('/message/private/send', { recvId: amy.id, content: '晚', type: 0 });
  await login(p1(), A.user);
});

type Page = ReturnType<typeof p1>;
const item = (page: Page, name: string) => page.locator(`.chat-item[data-name="${name}"]`);
const firstName = (page: Page) => page.locator('.chat-item').first().getAttribute('data-name');
const prefs = async () => (await amy.api.get('/chat/prefs')).data as { chatId: number; draft: string }[];

describe('im-web pinned chats and drafts (issue 15)', () => {
  it('pin and draft made in one browser are there in the next', async () => {
    await item(p1(), B.nick).waitFor({ timeout: 15_000 });
    await expect.poll(() => firstName(p1())).toBe(C.nick);
    await item(p1(), B.nick).click({ button: 'right' });
    await p1().getByText('置顶', { exact: true }).click();
    await item(p1(), B.nick).locator(sel('chat-pinned')).waitFor();
    await expect.poll(() => firstName(p1())).toBe(B.nick);

    await openChat(p1(), C.nick);
    await p1().fill(input('chat-input'), '还没发出去的话');
    await openChat(p1(), B.nick); // leaving Cy's chat keeps the draft
    await item(p1(), C.nick).locator(sel('chat-draft')).waitFor();
    await expect
      .poll(async () => (await prefs()).find((p) => p.chatId === cy.id)?.draft)
      .toBe('还没发出去的话');

    await login(p2(), A.user);
    await item(p2(), B.nick).locator(sel('chat-pinned')).waitFor({ timeout: 15_000 });
    await expect.poll(() => firstName(p2())).toBe(B.nick);
    await item(p2(), C.nick).locator(sel('chat-draft')).waitFor({ timeout: 15_000 });
    expect(await item(p2(), C.nick).locator('.last').textContent()).toContain('还没发出去的话');
    await shot(p2(), '46-pin-draft-synced');
    await openChat(p2(), C.nick);
    await expect.poll(() => p2().locator(input('chat-input')).inputValue()).toBe('还没发出去的话');
  });

  it('a pin made on the app terminal reaches the open browser live', async () => {
    const app = await amy.onTerminal(1);
    const res = await app.api.put('/chat/pref', { chatType: 'PRIVATE', chatId: cy.id, pinned: true });
    expect(res.code, res.message).toBe(200);
    await item(p2(), C.nick).locator(sel('chat-pinned')).waitFor({ timeout: 15_000 });
  });
});
