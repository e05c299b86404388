/**
 * The core flow in a real browser against a real standalone server: three users, friends,
 * private chat both ways (text, emoji, image, file), a group with @mention, read receipts
 * and recall, reload with history intact, and an offline period with nothing lost.
 */
import { describe, expect, it } from 'vitest';
import { useE2E } from './fixture';
import {
  addFriend,
  input,
  messageList,
  openChat,
  openFriendChat,
  PNG,
  register,
  sel,
  sendText,
  shot,
  waitOnline,
} from './support';

const run = Date.now().toString(36).slice(-5);
const A = { user: `alice${run}`, nick: `Alice${run}` };
const B = { user: `bob${run}`, nick: `Bob${run}` };
const C = { user: `carol${run}`, nick: `Carol${run}` };

const e2e = useE2E({ users: ['a', 'b', 'c'] });
const pa = () => e2e.page('a');
const pb = () => e2e.page('b');
const pc = () => e2e.page('c');

describe('im-web end to end', () => {
  it('registers three users (and shows the login page)', async () => {
    await pa().goto('/#/login');
    await pa().waitForSelector(input('login-username'));
    await shot(pa(), '01-login');
    await pa().goto('/#/register');
    await shot(pa(), '02-register');
    await register(pa(), A.user, A.nick);
    await register(pb(), B.user, B.nick);
    await register(pc(), C.user, C.nick);
    await pa().locator(sel('chat-list')).waitFor();
    await shot(pa(), '03-home-empty');
  });

  it('logs out and logs back in', async () => {
    await pc().click(sel('nav-logout'));
    await pc().waitForURL(/#\/login/);
    await pc().fill(input('login-username'), C.user);
    await pc().fill(input('login-password'), 'secret123');
    await pc().click(sel('login-submit'));
    await pc().waitForURL(/#\/home\/chat/);
    await waitOnline(pc());
  });

  it('adds friends by search', async () => {
    await addFriend(pa(), B.user);
    await addFriend(pa(), C.user);
    await pb().click(sel('nav-friend'));
    await pb()
      .locator(`${sel('friend-list')} [data-name="${A.nick}"]`)
      .first()
      .waitFor();
    await pa().click(sel('nav-friend'));
    await pa()
      .locator(`${sel('friend-list')} [data-name="${B.nick}"]`)
      .first()
      .waitFor();
    await shot(pa(), '04-friends');
  });

  it('private chat both ways with text and emoji, unread badge and read marks', async () => {
    await openFriendChat(pa(), B.nick);
    await pa().fill(input('chat-input'), 'hello bob ');
    await pa().click(sel('tool-emoji'));
    await pa().click(sel('emoji-😀'));
    await pa().press(input('chat-input'), 'Enter');
    await messageList(pa()).getByText('hello bob 😀').waitFor();
    // B: chat appears with an unread badge, opening it clears it and A sees "read"
    await pb().click(sel('nav-chat'));
    const item = pb().locator(`.chat-item[data-name="${A.nick}"]`);
    await item.waitFor();
    await expect.poll(() => item.locator('.el-badge__content').textContent()).toBe('1');
    await expect.poll(() => pb().title()).toContain('1');
    await openChat(pb(), A.nick);
    await messageList(pb()).getByText('hello bob 😀').waitFor();
    await pa().locator(sel('msg-read')).last().waitFor({ timeout: 15_000 });
    await sendText(pb(), 'hi alice, see https://example.com');
    await messageList(pa()).getByText('hi alice, see').waitFor();
    expect(await messageList(pa()).locator('a[href="https://example.com"]').count()).toBe(1);
    await shot(pa(), '05-private-chat');
  });

  it('sends an image and a file', async () => {
    await pa().setInputFiles(input('input-image'), { name: 'red.png', mimeType: 'image/png', buffer: PNG });
    await pa().setInputFiles(input('input-file'), {
      name: 'notes.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('some notes'),
    });
    await messageList(pb()).locator(sel('msg-image')).last().waitFor();
    await messageList(pb()).getByText('notes.txt').waitFor();
    const src = await messageList(pb())
      .locator(`${sel('msg-image')} img`)
      .last()
      .getAttribute('src');
    expect(src).toBeTruthy();
    expect(src!.startsWith('blob:')).toBe(false);
    const href = await messageList(pb()).locator(sel('msg-file')).last().getAttribute('href');
    expect(href).toBeTruthy();
    // A's copies are acked (no spinner, no failure)
    await expect
      .poll(
        () =>
          pa()
            .locator(`${sel('message-list')} ${sel('msg-sending')}`)
            .count(),
        { timeout: 15_000 },
      )
      .toBe(0);
    expect(
      await pa()
        .locator(`${sel('message-list')} ${sel('msg-failed')}`)
        .count(),
    ).toBe(0);
    // full-screen viewer
    await messageList(pb())
      .locator(`${sel('msg-image')} img`)
      .last()
      .click();
    await pb().locator(sel('full-image')).waitFor();
    await shot(pb(), '06-image-viewer');
    await pb().keyboard.press('Escape');
  });

  it('group with three users: @mention, receipt read counts, recall', async () => {
    const group = `Team${run}`;
    await pa().click(sel('nav-group'));
    await pa().click(sel('group-create'));
    await pa().locator('.el-message-box input').fill(group);
    await pa().locator('.el-message-box .el-button--primary').click();
    await pa().click(sel('group-chat'));
    await pa().waitForSelector(`${sel('chat-title')}:has-text("${group}")`);
    // invite B and C from the side panel
    await pa().click(sel('group-side-toggle'));
    await pa().click(sel('group-invite'));
    for (const nick of [B.nick, C.nick])
      await pa()
        .locator(`${sel('picker-list')} label:has-text("${nick}")`)
        .click();
    await pa().click(sel('picker-ok'));
    await expect
      .poll(
        () =>
          pa()
            .locator(`${sel('group-members')} [data-test^="member-"]`)
            .count(),
        { timeout: 15_000 },
      )
      .toBe(3);
    await shot(pa(), '07-group-side');
    await pa().click(sel('group-side-toggle'));
    // @mention B through the picker
    await pa().fill(input('chat-input'), '');
    await pa().type(input('chat-input'), `@${B.nick.slice(0, 3)}`);
    await pa().locator(sel('at-picker')).getByText(B.nick).click();
    await pa().type(input('chat-input'), 'please look');
    await pa().press(input('chat-input'), 'Enter');
    await messageList(pa()).getByText('please look').waitFor();
    await pb().click(sel('nav-chat'));
    const gItem = pb().locator(`.chat-item[data-name="${group}"]`);
    await gItem.locator(sel('chat-at-me')).waitFor();
    // receipt message
    await pa().locator(sel('tool-receipt')).click();
    await sendText(pa(), 'receipt please');
    const receipt = pa().locator(sel('msg-receipt')).last();
    await receipt.waitFor();
    await expect.poll(() => receipt.textContent()).toContain('0');
    await openChat(pb(), group);
    await messageList(pb()).getByText('receipt please').waitFor();
    await expect.poll(() => receipt.textContent(), { timeout: 15_000 }).toContain('1');
    await pc().click(sel('nav-chat'));
    await openChat(pc(), group);
    await messageList(pc()).getByText('receipt please').waitFor();
    await expect.poll(() => receipt.textContent(), { timeout: 15_000 }).toMatch(/全部已读|All read/);
    await receipt.click();
    await pa().locator(sel('readers-read')).getByText(C.nick).waitFor();
    await shot(pa(), '08-group-receipt');
    await pa().click(sel('chat-title'));
    await pa().locator(sel('readers')).waitFor({ state: 'hidden' });
    await pa().locator(sel('tool-receipt')).click();
    // recall
    await sendText(pa(), 'oops wrong chat');
    await messageList(pb()).getByText('oops wrong chat').waitFor();
    await messageList(pa()).getByText('oops wrong chat').click({ button: 'right' });
    await pa().click(sel('menu-recall'));
    await pa().locator('.el-message-box .el-button--primary').click();
    await messageList(pb()).locator(sel('msg-recalled')).waitFor({ timeout: 15_000 });
    expect(await messageList(pb()).getByText('oops wrong chat').count()).toBe(0);
    await shot(pb(), '09-group-recalled');
  });

  it('reload keeps the history', async () => {
    await pb().reload();
    await waitOnline(pb());
    await openChat(pb(), A.nick);
    await messageList(pb()).getByText('hello bob 😀').waitFor();
    await messageList(pb()).getByText('hi alice, see').waitFor();
  });

  it('offline period: nothing is lost', async () => {
    await openFriendChat(pa(), B.nick);
    await pb().click(sel('nav-chat'));
    // B loses the network; the server restarts so B's socket is really gone
    await e2e.user('b').ctx.setOffline(true);
    await e2e.restartServer();
    await waitOnline(pa(), 60_000);
    for (const n of [1, 2, 3]) await sendText(pa(), `while you were away ${n}`);
    await expect
      .poll(
        () =>
          pa()
            .locator(`${sel('message-list')} ${sel('msg-sending')}`)
            .count(),
        { timeout: 15_000 },
      )
      .toBe(0);
    // B writes while offline: the send fails on the network and is re-sent on reconnect
    await openChat(pb(), A.nick);
    await sendText(pb(), 'written while offline');
    await messageList(pb())
      .locator(`[data-msg]:has-text("written while offline") ${sel('msg-failed')}`)
      .waitFor();
    await e2e.user('b').ctx.setOffline(false);
    await waitOnline(pb(), 60_000);
    await messageList(pa()).getByText('written while offline').waitFor({ timeout: 20_000 });
    await openChat(pb(), A.nick);
    for (const n of [1, 2, 3])
      await messageList(pb()).getByText(`while you were away ${n}`).waitFor({ timeout: 20_000 });
    expect(await messageList(pb()).getByText('hello bob 😀').count()).toBe(1);
    await shot(pb(), '10-after-offline');
  });

  it('switches language and opens settings', async () => {
    await pa().click(sel('nav-setting'));
    await pa()
      .locator('.el-dialog')
      .getByText(/设置|Settings/)
      .first()
      .waitFor();
    await shot(pa(), '11-settings');
    await pa().keyboard.press('Escape');
  });
});
