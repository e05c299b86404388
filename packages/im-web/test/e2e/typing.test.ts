/**
 * Issue 15, typing indicator in the browser: Amy types in the chat with Bo, Bo's chat header
 * shows "对方正在输入…" (nothing is added to the conversation); Amy's message ends it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useE2E } from './fixture';
import { input, login, messageList, openFriendChat, sel, shot } from './support';

const e2e = useE2E();
const pa = () => e2e.page('a');
const pb = () => e2e.page('b');
const run = Date.now().toString(36).slice(-5);
const A = { user: `amy${run}`, nick: `Amy${run}` };
const B = { user: `bo${run}`, nick: `Bo${run}` };

beforeAll(async () => {
  const amy = await e2e.server.account({ userName: A.user, nickName: A.nick });
  const bo = await e2e.server.account({ userName: B.user, nickName: B.nick });
  await e2e.server.befriend(amy, bo);
  await login(pa(), A.user);
  await login(pb(), B.user);
});

describe('im-web typing indicator (issue 15)', () => {
  it('A types, B sees the indicator in the chat header; the message ends it', async () => {
    await openFriendChat(pb(), A.nick);
    await openFriendChat(pa(), B.nick);
    const before = await messageList(pb()).locator('[data-msg]').count();
    await pa().locator(input('chat-input')).pressSequentially('正在写', { delay: 20 });
    const indicator = pb().locator(sel('chat-typing'));
    await indicator.getByText('对方正在输入…').waitFor({ timeout: 15_000 });
    await shot(pb(), '45-typing-indicator');
    // the signal is never a message
    expect(await messageList(pb()).locator('[data-msg]').count()).toBe(before);
    await pa().press(input('chat-input'), 'Enter');
    await messageList(pb()).getByText('正在写').waitFor({ timeout: 15_000 });
    await indicator.waitFor({ state: 'hidden' });
    // Amy's own header never shows it
    expect(await pa().locator(sel('chat-typing')).count()).toBe(0);
  });
});
