/**
 * Management screens: settings (profile, avatar, password), user card, history drawer,
 * group side panel (notice, remark, remove member, quit), friend delete.
 */
import type { TestUser } from '@box-im/im-standalone/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { useE2E } from './fixture';
import {
  input,
  login,
  messageList,
  openChat,
  openFriendChat,
  PNG,
  sel,
  sendText,
  shot,
  waitOnline,
} from './support';

const e2e = useE2E();
const pa = () => e2e.page('a');
const pb = () => e2e.page('b');
const run = Date.now().toString(36).slice(-5);
const A = { user: `owen${run}`, nick: `Owen${run}` };
const B = { user: `pia${run}`, nick: `Pia${run}` };
const C = { user: `quin${run}`, nick: `Quin${run}` };
const group = `Club${run}`;
let owen: TestUser;

beforeAll(async () => {
  const { server } = e2e;
  owen = await server.account({ userName: A.user, nickName: A.nick });
  const pia = await server.account({ userName: B.user, nickName: B.nick });
  const quin = await server.account({ userName: C.user, nickName: C.nick });
  for (const friend of [pia, quin]) await server.befriend(owen, friend);
  const created = await owen.api.post<{ id: number }>('/group/create', { name: group });
  const invited = await owen.api.post('/group/invite', {
    groupId: created.data!.id,
    friendIds: [pia.id, quin.id],
  });
  expect(invited.code, invited.message).toBe(200);
  await login(pa(), A.user);
  await login(pb(), B.user);
});

describe('im-web management', () => {
  it('settings: nickname, avatar upload, password change', async () => {
    await pa().click(sel('nav-setting'));
    await pa().fill(input('setting-nick'), `${A.nick}X`);
    await pa().setInputFiles(input('avatar-input'), { name: 'me.png', mimeType: 'image/png', buffer: PNG });
    await pa().locator('.el-dialog .head img').first().waitFor();
    await pa().click(sel('setting-save'));
    await pa().locator('.el-message--success').first().waitFor();
    const self = (await owen.api.get<{ nickName: string; headImage: string }>('/user/self')).data!;
    expect(self.nickName).toBe(`${A.nick}X`);
    expect(self.headImage).toBeTruthy();
    await shot(pa(), '21-settings-profile');
    await pa().locator('.el-dialog .el-tabs__item').nth(1).click();
    const pw = pa().locator('.el-dialog .el-tab-pane').nth(1).locator('input');
    await pw.nth(0).fill('secret123');
    await pw.nth(1).fill('newsecret1');
    await pw.nth(2).fill('newsecret1');
    await pa().locator('.el-dialog .el-tab-pane').nth(1).locator('.el-button--primary').click();
    // every session ends with a password change: back to the login page, no "elsewhere" alert
    await pa().waitForURL(/#\/login/);
    expect(await pa().locator('.el-message-box').count()).toBe(0);
    await login(pa(), A.user, 'newsecret1');
  });

  it('user card from an avatar, and the history drawer', async () => {
    // Profile edits are not pushed (as in box-im): B sees A's new name after a reload.
    await pb().reload();
    await waitOnline(pb());
    await openFriendChat(pb(), `${A.nick}X`);
    for (let i = 1; i <= 3; i++) await sendText(pb(), `history line ${i}`);
    await openFriendChat(pa(), B.nick);
    await messageList(pa()).getByText('history line 3').waitFor();
    await messageList(pa()).locator('[data-msg]:not(.self) .head').first().click();
    await pa()
      .locator('.el-dialog')
      .getByText(new RegExp(`: ${B.user}$`))
      .waitFor();
    await shot(pa(), '22-user-card');
    await pa().keyboard.press('Escape');
    await pa().click(sel('tool-history'));
    await pa().locator(sel('history-list')).getByText('history line 2').waitFor();
    await pa().fill(input('history-search'), 'line 3');
    await expect
      .poll(() =>
        pa()
          .locator(`${sel('history-list')} .item`)
          .count(),
      )
      .toBe(1);
    await shot(pa(), '23-history');
    await pa().keyboard.press('Escape');
  });

  it('group side panel: notice and remark saved, member removed, member quits', async () => {
    await pa().click(sel('nav-chat'));
    await openChat(pa(), group);
    await pa().click(sel('group-side-toggle'));
    await expect
      .poll(() =>
        pa()
          .locator(`${sel('group-members')} [data-test^="member-"]`)
          .count(),
      )
      .toBe(3);
    await pa().setInputFiles(input('group-avatar-input'), {
      name: 'club.png',
      mimeType: 'image/png',
      buffer: PNG,
    });
    await pa()
      .locator(`${sel('group-side')} .el-form .head img`)
      .waitFor();
    await pa().fill(input('group-notice'), 'Be nice');
    await pa().fill(input('group-remark'), `My${group}`);
    await pa().click(sel('group-save'));
    await pa()
      .locator(`${sel('chat-title')}:has-text("My${group}")`)
      .waitFor();
    await pa().locator(`.chat-item[data-name="My${group}"] .head img`).waitFor();
    await pa().click(sel('group-remove'));
    await pa()
      .locator(`${sel('picker-list')} label:has-text("${C.nick}")`)
      .click();
    await pa().click(sel('picker-ok'));
    await expect
      .poll(() =>
        pa()
          .locator(`${sel('group-members')} [data-test^="member-"]`)
          .count(),
      )
      .toBe(2);
    await shot(pa(), '24-group-managed');
    // B quits from its side panel
    await pb().click(sel('nav-chat'));
    await openChat(pb(), group);
    await pb().click(sel('group-side-toggle'));
    expect(await pb().locator(input('group-notice')).inputValue()).toBe('Be nice');
    await pb().click(sel('group-quit'));
    await pb().locator('.el-message-box .el-button--primary').click();
    await pb().locator(`.chat-item[data-name="${group}"]`).waitFor({ state: 'detached' });
  });

  it('deletes a friend', async () => {
    await pa().click(sel('nav-friend'));
    await pa()
      .locator(`${sel('friend-list')} [data-name="${C.nick}"]`)
      .first()
      .click();
    await pa().click(sel('friend-delete'));
    await pa().locator('.el-message-box .el-button--primary').click();
    await pa()
      .locator(`${sel('friend-list')} [data-name="${C.nick}"]`)
      .first()
      .waitFor({ state: 'detached' });
  });
});
