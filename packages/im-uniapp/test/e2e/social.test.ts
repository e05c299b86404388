/**
 * Issue 15 on the H5 mobile client, with the server's FRIEND_REQUEST=on: the phone sends a
 * friend request with a message, accepted on im-web (both see the friend, the tip is in the
 * chat); a request to the phone shows live on the contacts badge and is accepted there; a
 * group invitation waits on the phone until accepted; the phone (owner) appoints an admin and
 * mutes a member on a second phone, whose send then fails with the server's reason shown; the
 * call picker stops at the server's WEBRTC_MAX_CHANNEL.
 */
import type { TestServer, TestUser } from '@box-im/im-standalone/testing';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  field,
  h5Login,
  h5Send,
  modalOk,
  phoneSuite,
  sheetItem,
  shot,
  tab,
  uniInstalled,
  v,
  webLogin,
} from './support';

const run = Date.now().toString(36).slice(-5);
const sel = (test: string) => `[data-test="${test}"]`;
const TIP = '你们已成为好友，现在可以开始聊天了';

let server: TestServer;
let h5: Page; // Alice on the phone
let h5b: Page; // Carol on a second phone
let bobWeb: Page;
let alice: TestUser;
let bob: TestUser;
let carol: TestUser;
let dave: TestUser;
const group = `Quiet${run}`;
let quietId = 0;

const friendIds = async (u: TestUser) =>
  (await u.api.get<{ id: number }[]>('/friend/list')).data!.map((f) => f.id);

describe.skipIf(!uniInstalled())('social features on the H5 client', () => {
  const suite = phoneSuite({
    name: 'social',
    env: { FRIEND_REQUEST: 'on', WEBRTC_MAX_CHANNEL: '2', WEBRTC_ICE_SERVERS: '[]' },
  });

  beforeAll(async () => {
    server = suite.server;
    alice = await server.account({ userName: `ali${run}`, nickName: `Ali${run}` });
    bob = await server.account({ userName: `bo${run}`, nickName: `Bo${run}` });
    carol = await server.account({ userName: `cy${run}`, nickName: `Cy${run}` });
    dave = await server.account({ userName: `dv${run}`, nickName: `Dv${run}` });
    h5 = (await suite.phone('h5')).page;
    h5b = (await suite.phone('h5b')).page;
    bobWeb = (await suite.desktop('bob-web')).page;
    await h5Login(h5, alice.userName);
    await webLogin(bobWeb, bob.userName);
  });

  it('sends a friend request with a message from the phone; im-web accepts; both see the friend', async () => {
    await tab(h5, 1);
    await h5.click(v('friend-add-open'));
    await h5.fill(field('friend-search'), bob.userName);
    await h5.click(v('friend-search-go'));
    await h5.click(v(`request-${bob.userName}`));
    await h5.locator('.uni-modal__textarea:visible').fill(`你好，我是 ${alice.nickName}`);
    await h5.click(modalOk);
    await h5.locator(v('request-pending')).waitFor();
    await shot(h5, '70-request-sent');

    await bobWeb.click(sel('nav-friend'));
    await bobWeb.locator(sel('friend-requests-count')).getByText('1').waitFor();
    await bobWeb.click(sel('friend-requests-open'));
    const request = bobWeb.locator(sel('friend-requests')).locator('[data-test^="request-"]').first();
    await request.getByText(`你好，我是 ${alice.nickName}`).waitFor();
    await request.locator(sel('request-accept')).click();
    await bobWeb
      .locator(`${sel('friend-list')} [data-name="${alice.nickName}"]`)
      .first()
      .waitFor();

    // The phone learns it live: the friend in the list, the tip in the chat.
    await h5.goBack();
    // (listed twice: among the online friends and under the initial)
    await h5
      .locator(v(`friend-${bob.nickName}`))
      .first()
      .waitFor();
    await h5
      .locator(v(`friend-${bob.nickName}`))
      .first()
      .click();
    await h5.click(v('user-send'));
    await h5.waitForURL(/chat-box/);
    await h5.locator(`${v('msg-tip')}:has-text("${TIP}")`).waitFor();
    await shot(h5, '71-friend-tip');
    expect(await friendIds(alice)).toContain(bob.id);
    expect(await friendIds(bob)).toContain(alice.id);
  });

  it('shows a request to the phone live on the contacts entry and accepts it there', async () => {
    await h5.goto('/h5/#/pages/friend/friend');
    await h5.locator(v('friend-requests-open')).waitFor();
    expect(await h5.locator(v('friend-requests-count')).count()).toBe(0);
    const sent = await carol.api.post('/friend/request', {
      friendId: alice.id,
      message: `from ${carol.nickName}`,
    });
    expect(sent.code).toBe(200);
    await h5.locator(`${v('friend-requests-count')}:has-text("1")`).waitFor();
    await h5.click(v('friend-requests-open'));
    const row = h5.locator(v(`request-${carol.nickName}`));
    await row.getByText(`from ${carol.nickName}`).waitFor();
    await shot(h5, '72-new-friends');
    await row.locator(sel('request-accept')).click();
    await row.waitFor({ state: 'detached' });
    await expect.poll(() => friendIds(carol)).toContain(alice.id);
    await h5.goBack();
    await h5
      .locator(v(`friend-${carol.nickName}`))
      .first()
      .waitFor();
    expect(await h5.locator(v('friend-requests-count')).count()).toBe(0);
  });

  it('keeps a group invitation pending on the phone until accepted', async () => {
    const created = await dave.api.post<{ id: number }>('/group/create', { name: `Dv${run}` });
    await server.befriend(dave, alice);
    const invited = await dave.api.post('/group/invite', {
      groupId: created.data!.id,
      friendIds: [alice.id],
    });
    expect(invited.code).toBe(200);
    // Not a member yet: the invitation waits.
    const before = await alice.api.get<{ id: number; quit: boolean }[]>('/group/list');
    expect(before.data!.some((g) => g.id === created.data!.id && !g.quit)).toBe(false);
    await h5.click(v('friend-requests-open'));
    const row = h5.locator(v(`invite-Dv${run}`));
    await row.waitFor();
    await row.locator(sel('invite-accept')).click();
    await row.waitFor({ state: 'detached' });
    const after = await alice.api.get<{ id: number; quit: boolean }[]>('/group/list');
    expect(after.data!.some((g) => g.id === created.data!.id && !g.quit)).toBe(true);
    await h5.goBack();
  });

  it('the owner on the phone appoints an admin and mutes a member; the muted phone is told why', async () => {
    await tab(h5, 2);
    await h5.click(v('group-create-open'));
    await h5.fill(field('group-edit-name'), group);
    await h5.click(v('group-edit-save'));
    await h5.waitForURL(/group-info/);
    const groupId = Number(/[?&]id=(\d+)/.exec(h5.url())?.[1]);
    expect(groupId).toBeGreaterThan(0);
    quietId = groupId;
    await alice.api.post('/group/invite', { groupId, friendIds: [bob.id, carol.id] });
    for (const u of [bob, carol]) {
      const list = await u.api.get<{ id: number; groupId: number }[]>('/group/invite/list');
      const inv = list.data!.find((i) => i.groupId === groupId)!;
      expect((await u.api.post(`/group/invite/accept/${inv.id}`)).code).toBe(200);
    }
    await h5Login(h5b, carol.userName);
    await h5b.goto(`/h5/#/pages/chat/chat-box?type=GROUP&id=${groupId}`);
    await h5b.locator(field('chat-input')).waitFor();

    await h5.click(v('group-all-members'));
    const bobRow = h5.locator(v(`member-${bob.nickName}`));
    await bobRow.click();
    await h5.click(sheetItem('设为管理员'));
    await bobRow.locator(sel('tag-admin')).waitFor();
    const carolRow = h5.locator(v(`member-${carol.nickName}`));
    await carolRow.click();
    await h5.click(sheetItem('禁言'));
    await h5.click(sheetItem('10分钟'));
    await carolRow.locator(sel('tag-muted')).waitFor();
    await shot(h5, '73-members-admin-muted');
    const members = await alice.api.get<{ userId: number; isAdmin?: boolean; muteUntil?: number | null }[]>(
      `/group/members/${groupId}`,
    );
    expect(members.data!.find((m) => m.userId === bob.id)?.isAdmin).toBe(true);
    expect(members.data!.find((m) => m.userId === carol.id)?.muteUntil ?? 0).toBeGreaterThan(Date.now());

    // The muted member's phone: the composer says so, a send fails with the server's reason.
    await h5b.locator(v('chat-muted')).waitFor();
    await h5b.locator(`${v('msg-tip')}:has-text("被'${alice.nickName}'禁言10分钟")`).waitFor();
    await h5Send(h5b, 'can I speak?');
    const reason = h5b.locator(v('msg-fail-reason')).first();
    await reason.waitFor();
    expect(await reason.textContent()).toMatch(/您已被禁言，解除时间：\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
    await shot(h5b, '74-muted-send-refused');
    const history = await alice.api.get<{ content: string }[]>(
      `/message/group/history?groupId=${groupId}&page=1&size=20`,
    );
    expect(history.data!.map((m) => m.content)).not.toContain('can I speak?');
    // The admin appointment left its tip in the owner's chat as well.
    const tips = history.data!.map((m) => m.content);
    expect(tips).toContain(`'${alice.nickName}'将'${bob.nickName}'设为管理员`);
  });

  it('an admin on the phone edits the notice but not the name', async () => {
    const made = await alice.api.put('/group/admin', { groupId: quietId, userId: carol.id, isAdmin: true });
    expect(made.code).toBe(200);
    await h5b.goto(`/h5/#/pages/group/group-edit?id=${quietId}`);
    const notice = h5b.locator(`${v('group-edit-notice')} textarea`);
    await notice.waitFor();
    await expect.poll(() => notice.isDisabled()).toBe(false);
    expect(await h5b.locator(field('group-edit-name')).isDisabled()).toBe(true);
    await notice.fill(`周五停机维护${run}`);
    await h5b.click(v('group-edit-save'));
    await expect
      .poll(async () => (await alice.api.get<{ notice: string }>(`/group/find/${quietId}`)).data?.notice)
      .toBe(`周五停机维护${run}`);
  });

  it("caps the call picker at the server's max channel, with a message", async () => {
    // WEBRTC_MAX_CHANNEL=2: me and one more.
    await h5.goto(`/h5/#/pages/rtc/rtc-pick?groupId=${quietId}`);
    await h5.locator(v('gcall-pick-cap')).getByText('通话最多 2 人，最多还能选 1 人').waitFor();
    await h5.click(v(`gcall-pick-${bob.id}`));
    await h5.click(v(`gcall-pick-${carol.id}`));
    await h5.locator('.uni-simple-toast__text', { hasText: '通话最多 2 人' }).waitFor();
    expect(await h5.locator(v('gcall-pick-confirm')).textContent()).toContain('(1)');
    await shot(h5, '75-call-cap');
  });
});
