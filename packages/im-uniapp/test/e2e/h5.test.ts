/**
 * The H5 mobile client on a 390×844 touch screen against a real standalone server that also
 * serves im-web: register and log in, live private chat with a user on im-web both ways,
 * read receipts, a group message with @, an image, a hold-to-talk voice message, recall,
 * reload with history, offline messages after logging in again, the same user on H5 and
 * im-web at once, group management, profile, language and password. Screenshots go to
 * test-results/screenshots.
 */
import { MessageType } from '@box-im/im-common';
import type { TestServer, TestUser } from '@box-im/im-standalone/testing';
import type { CDPSession, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  uniInstalled,
  field,
  h5Login,
  h5Send,
  hold,
  makePng,
  modalOk,
  PASSWORD,
  phoneSuite,
  sheetItem,
  shot,
  tab,
  v,
  waitOnline,
  webList,
  webLogin,
  webOpenChat,
  webSend,
} from './support';

const run = Date.now().toString(36).slice(-5);
const A = { user: `alice${run}`, nick: `Alice${run}` };

let server: TestServer;
let h5: Page; // Alice on the phone
let cdp: CDPSession;
let bobWeb: Page; // Bob on im-web
let aliceWeb: Page; // Alice on im-web as well (multi-terminal)
let bob: TestUser;
let carol: TestUser;
let aliceId = 0;
let groupId = 0;

const h5Msgs = () => h5.locator('[data-test="msg-list"]:visible');
/** Nothing in the open chat is still uploading or sending. */
const allSent = () => expect.poll(() => h5Msgs().locator('[data-test="msg-sending"]').count()).toBe(0);

// Skipped only when the mobile client was deliberately not installed (IM_SKIP_UNIAPP_INSTALL=1).
describe.skipIf(!uniInstalled())('H5 mobile client', () => {
  const suite = phoneSuite({
    name: 'e2e',
    browserArgs: ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream'],
  });

  beforeAll(async () => {
    server = suite.server;
    const phone = await suite.phone('h5');
    await phone.ctx.grantPermissions(['microphone'], { origin: server.url });
    h5 = phone.page;
    cdp = await phone.ctx.newCDPSession(h5);
    bobWeb = (await suite.desktop('bob-web')).page;
    aliceWeb = (await suite.desktop('alice-web')).page;
    bob = await server.account({ userName: `bob${run}`, nickName: `Bob${run}` });
    carol = await server.account({ userName: `carol${run}`, nickName: `Carol${run}` });
    await server.befriend(bob, carol);
  });

  it('registers on the phone, logs out and logs back in', async () => {
    await h5.goto('/h5/');
    await h5.waitForURL(/pages\/login\/login/);
    await h5.waitForSelector(v('login-submit'));
    await shot(h5, '01-login');
    await h5.click(v('to-register'));
    await h5.waitForURL(/pages\/register\/register/);
    await h5.fill(field('reg-username'), A.user);
    await h5.fill(field('reg-nickname'), A.nick);
    await h5.fill(field('reg-password'), PASSWORD);
    await h5.fill(field('reg-confirm'), PASSWORD);
    await shot(h5, '02-register');
    await h5.click(v('reg-submit'));
    await waitOnline(h5);
    await shot(h5, '03-chats-empty');

    // The app logged in as terminal APP (1): the server lists Alice online on it.
    const login = await server.anon.post<{ accessToken: string }>('/login', {
      terminal: 2,
      userName: A.user,
      password: PASSWORD,
    });
    const api = server.anon.as(login.data!.accessToken);
    aliceId = (await api.get<{ id: number }>('/user/self')).data!.id;
    const online = await bob.api.get<{ userId: number; terminals: number[] }[]>(
      `/user/terminal/online?userIds=${aliceId}`,
    );
    expect(online.data?.[0]?.terminals).toContain(1);

    await tab(h5, 3);
    await h5.waitForSelector(v('mine-nick'));
    expect(await h5.locator(v('mine-nick')).textContent()).toContain(A.nick);
    await shot(h5, '04-mine');
    await h5.click(v('logout'));
    await h5.click(modalOk);
    await h5.waitForURL(/pages\/login\/login/);
    await h5Login(h5, A.user);
  });

  it('adds a friend by search and chats live with im-web both ways, with read receipts', async () => {
    await tab(h5, 1);
    await h5.click(v('friend-add-open'));
    await h5.fill(field('friend-search'), bob.userName);
    await h5.press(field('friend-search'), 'Enter');
    await h5.click(v(`add-${bob.userName}`));
    await h5.waitForSelector(`${v(`found-${bob.userName}`)} >> text=/已添加|Added/`);
    await h5.goBack();
    await h5.waitForSelector(v(`friend-${bob.nickName}`));
    await shot(h5, '05-friends');

    await webLogin(bobWeb, bob.userName);
    await h5.click(v(`friend-${bob.nickName}`));
    await h5.click(v('user-send'));
    await h5.waitForURL(/chat-box/);
    await h5.click(v('tool-emoji'));
    await h5.click(v('emoji-😀'));
    await h5Send(h5, 'hi bob from the phone😀');
    await h5Msgs().getByText('hi bob from the phone😀').waitFor();

    // Live on im-web; opening the chat there marks it read on the phone.
    await webOpenChat(bobWeb, A.nick);
    await webList(bobWeb).getByText('hi bob from the phone😀').waitFor();
    await h5
      .locator(`${v('msg-read')}:has-text("已读")`)
      .last()
      .waitFor();

    await webSend(bobWeb, 'hello alice from the web');
    await h5Msgs().getByText('hello alice from the web').waitFor();
    await shot(h5, '06-private-chat');
  });

  it('sends an image from the album', async () => {
    await h5.click(v('tool-more'));
    await shot(h5, '07-tools');
    const chooser = h5.waitForEvent('filechooser');
    await h5.click(v('tool-album'));
    await (
      await chooser
    ).setFiles({ name: 'blue.png', mimeType: 'image/png', buffer: makePng(120, 80, [30, 120, 220]) });
    const img = h5Msgs().locator('[data-test="msg-image"]').last();
    await img.waitFor();
    // Uploaded (with the token) and sent: no longer SENDING, and Bob sees it.
    await allSent();
    await webList(bobWeb).locator('img').last().waitFor();
    const history = await bob.api.get<{ type: number; content: string }[]>(
      `/message/private/history?friendId=${aliceId}&page=1&size=5`,
    );
    const image = history.data!.find((m) => m.type === MessageType.IMAGE);
    expect(JSON.parse(image!.content)).toMatchObject({ originUrl: expect.stringContaining('/') });
    await shot(h5, '07-image-sent');
  });

  it('records and sends a hold-to-talk voice message', async () => {
    await h5.click(v('voice-toggle'));
    await hold(h5, cdp, v('hold-to-talk'), 1600);
    const audio = h5Msgs().locator('[data-test="msg-audio"]').last();
    await audio.waitFor();
    await allSent();
    const history = await bob.api.get<{ type: number; content: string }[]>(
      `/message/private/history?friendId=${aliceId}&page=1&size=5`,
    );
    const voice = history.data!.find((m) => m.type === MessageType.AUDIO);
    const content = JSON.parse(voice!.content) as { duration: number; url: string };
    expect(content.duration).toBeGreaterThanOrEqual(1);
    const file = await fetch(new URL(content.url, server.url));
    expect(file.status).toBe(200);
    expect(
      Number(file.headers.get('content-length') ?? (await file.arrayBuffer()).byteLength),
    ).toBeGreaterThan(0);
    await shot(h5, '08-voice');
    await h5.click(v('voice-toggle'));
  });

  it('recalls a message with a long press', async () => {
    await h5Send(h5, 'this one goes away');
    await h5Msgs().getByText('this one goes away').waitFor();
    await webList(bobWeb).getByText('this one goes away').waitFor();
    await allSent();
    await hold(h5, cdp, `[data-test="msg-text"]:visible:has-text("this one goes away")`, 900, true);
    await h5.click(sheetItem('撤回'));
    await h5Msgs().locator('[data-test="msg-recalled"]').last().waitFor();
    await expect.poll(() => webList(bobWeb).getByText('this one goes away').count()).toBe(0);
    await shot(h5, '09-recall');
  });

  it('sends a group message with @ from the picker', async () => {
    const created = await bob.api.post<{ id: number }>(`/group/create?groupName=H5${run}`, {
      name: `H5${run}`,
    });
    groupId = created.data!.id;
    await bob.api.post('/group/invite', { groupId, friendIds: [aliceId, carol.id] });
    await h5.goBack();
    await h5.goBack();
    await tab(h5, 2);
    await h5.click(v(`group-H5${run}`));
    await h5.click(v('group-send'));
    await h5.waitForURL(/chat-box\?type=GROUP/);
    // Typing @ opens the member picker.
    await h5.fill(field('chat-input'), 'hello @');
    await h5.click(v(`at-member-${bob.nickName}`));
    await h5.click(v('at-confirm'));
    await shot(h5, '10-at-picked');
    await h5.press(field('chat-input'), 'Enter');
    await h5Msgs().getByText(`hello @${bob.nickName}`).waitFor();
    await allSent();
    const history = await bob.api.get<{ content: string; atUserIds: number[] }[]>(
      `/message/group/history?groupId=${groupId}&page=1&size=5`,
    );
    const sent = history.data!.find((m) => m.content.startsWith('hello @'));
    expect(sent?.atUserIds).toEqual([bob.id]);
    // Bob's web client marks the group chat "someone mentioned me".
    await bobWeb.click('[data-test="nav-chat"]');
    await bobWeb
      .locator('.chat-item', { hasText: `hello @${bob.nickName}` })
      .getByText(/有人@我|mentioned/)
      .waitFor();
    await shot(h5, '11-group-at');
  });

  it('keeps the history over a reload', async () => {
    await h5.reload();
    await h5.waitForSelector(v('msg-list'));
    await h5Msgs().getByText(`hello @${bob.nickName}`).waitFor();
    await h5.goto('/h5/#/pages/chat/chat');
    await waitOnline(h5);
    await h5.locator(v(`chat-item-${bob.nickName}`)).waitFor();
    await h5.click(v(`chat-item-${bob.nickName}`));
    await h5Msgs().getByText('hello alice from the web').waitFor();
    await shot(h5, '12-after-reload');
    await h5.goBack();
  });

  it('gets the messages sent while it was logged out', async () => {
    await tab(h5, 3);
    await h5.click(v('logout'));
    await h5.click(modalOk);
    await h5.waitForURL(/pages\/login\/login/);
    await webSend(bobWeb, 'while you were away 1');
    await webSend(bobWeb, 'while you were away 2');
    await webList(bobWeb).getByText('while you were away 2').waitFor();
    await h5Login(h5, A.user);
    await h5.locator(`${v(`chat-item-${bob.nickName}`)} >> text=while you were away 2`).waitFor();
    await expect.poll(() => h5.locator(v('chat-unread')).first().textContent()).toBe('2');
    await shot(h5, '13-offline');
    await h5.click(v(`chat-item-${bob.nickName}`));
    await h5Msgs().getByText('while you were away 1').waitFor();
  });

  it('shows my messages as mine on H5 and im-web at once', async () => {
    await webLogin(aliceWeb, A.user);
    await webOpenChat(aliceWeb, bob.nickName);
    await h5Send(h5, 'sent from the phone');
    const onWeb = webList(aliceWeb).locator('.msg.self', { hasText: 'sent from the phone' });
    await onWeb.waitFor();
    await webSend(aliceWeb, 'sent from the web');
    await h5Msgs().locator('[data-test="msg-self"]', { hasText: 'sent from the web' }).waitFor();
    // Bob sees both as Alice's.
    await webList(bobWeb).getByText('sent from the web').waitFor();
    await shot(h5, '14-multi-terminal');
    await shot(aliceWeb, '14-multi-terminal-web');
    // The phone is still logged in after the web login (another terminal, not a replacement).
    await h5.goBack();
    await waitOnline(h5);
    expect(h5.url()).not.toMatch(/login/);
  });

  it('creates and manages a group: invite, members, remove', async () => {
    await tab(h5, 2);
    await h5.click(v('group-create-open'));
    await h5.fill(field('group-edit-name'), `Mine${run}`);
    await h5.click(v('group-edit-save'));
    await h5.waitForURL(/group-info/);
    await h5.click(v('group-invite'));
    await h5.click(v(`invite-${bob.nickName}`));
    await h5.click(v('invite-confirm'));
    await h5.waitForURL(/group-info/);
    await h5.click(v('group-all-members'));
    await h5.locator(v(`member-${bob.nickName}`)).waitFor();
    await shot(h5, '15-group-members');
    await h5.goBack();
    await h5.click(v('group-remove'));
    await h5.click(v(`member-${bob.nickName}`));
    await h5.click(v('remove-confirm'));
    await h5.click(modalOk);
    await h5.waitForURL(/group-info/);
    // Bob is out: the group is no longer among his groups.
    const groups = await bob.api.get<{ name: string; quit: boolean }[]>('/group/list');
    expect(groups.data!.some((g) => g.name === `Mine${run}` && !g.quit)).toBe(false);
    await shot(h5, '16-group-info');
  });

  it('edits the profile, switches to English and changes the password', async () => {
    await h5.goto('/h5/#/pages/mine/mine-edit');
    await h5.fill(field('mine-nickname'), `${A.nick}x`);
    await h5.click(v('mine-save'));
    await expect
      .poll(async () => (await bob.api.get<{ nickName: string }>(`/user/find/${aliceId}`)).data?.nickName)
      .toBe(`${A.nick}x`);
    // The page goes back once saved: let it, or that late step back would leave settings.
    await h5.waitForURL((u) => !u.hash.includes('mine-edit'));

    await h5.goto('/h5/#/pages/mine/settings');
    await h5.click(v('lang-en'));
    await h5.goto('/h5/#/pages/mine/mine');
    await h5.locator(v('mine-password')).getByText('Change password').waitFor();
    await h5.locator('.uni-tabbar__item').nth(3).getByText('Me', { exact: true }).waitFor();
    await shot(h5, '17-mine-english');

    await h5.click(v('mine-password'));
    await h5.fill(field('pwd-old'), PASSWORD);
    await h5.fill(field('pwd-new'), 'secret456');
    await h5.fill(field('pwd-confirm'), 'secret456');
    await h5.click(v('pwd-save'));
    await h5.click(modalOk);
    await h5.waitForURL(/pages\/login\/login/);
    await h5Login(h5, A.user, 'secret456');
    await shot(h5, '18-relogin-english');
  });

  it('shows the last 20 messages and loads earlier ones on demand', async () => {
    for (let i = 0; i < 22; i++)
      await bob.api.post('/message/private/send', {
        tmpId: `${Date.now()}${i}`,
        recvId: aliceId,
        content: `burst ${i}`,
        type: MessageType.TEXT,
      });
    await h5.click(v(`chat-item-${bob.nickName}`));
    await h5Msgs().getByText('burst 21', { exact: true }).waitFor();
    expect(await h5Msgs().getByText('burst 0', { exact: true }).count()).toBe(0);
    // Scrolling to the top loads earlier messages; the link there does the same if still shown.
    await h5.locator(v('load-earlier')).scrollIntoViewIfNeeded();
    await h5
      .locator(v('load-earlier'))
      .click({ timeout: 2000 })
      .catch(() => undefined);
    await h5Msgs().getByText('burst 0', { exact: true }).waitFor();
    await shot(h5, '19-earlier');
    await h5.goBack();
  });

  it('is logged out, with a notice, when the account logs in on another phone', async () => {
    const other = await suite.phone('other');
    await h5Login(other.page, A.user, 'secret456');
    await h5
      .locator('.uni-modal:visible')
      .getByText(/logged in somewhere else|其他地方登录/)
      .waitFor();
    await shot(h5, '20-force-logout');
    await h5.click(modalOk);
    await h5.waitForURL(/pages\/login\/login/);
    await other.ctx.close();
  });
});
