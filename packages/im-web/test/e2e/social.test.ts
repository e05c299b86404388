/**
 * Issue 15 in the browser, with FRIEND_REQUEST=on: a friend request with a message, accepted
 * by the addressee (who is told live); a group invitation accepted; a member muted by the
 * owner, whose send then fails with the reason shown.
 */
import type { TestUser } from '@box-im/im-standalone/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { useE2E } from './fixture';
import { input, login, messageList, openChat, openFriendChat, sel, sendText, shot } from './support';

const e2e = useE2E({ env: { FRIEND_REQUEST: 'on' } });
const pa = () => e2e.page('a');
const pb = () => e2e.page('b');
const run = Date.now().toString(36).slice(-5);
const A = { user: `rosa${run}`, nick: `Rosa${run}` };
const B = { user: `sven${run}`, nick: `Sven${run}` };
const group = `Quiet${run}`;
let rosa: TestUser;
let sven: TestUser;

beforeAll(async () => {
  rosa = await e2e.server.account({ userName: A.user, nickName: A.nick });
  sven = await e2e.server.account({ userName: B.user, nickName: B.nick });
  await login(pa(), A.user);
  await login(pb(), B.user);
});

describe('im-web friend requests and group mute', () => {
  it('sends a friend request with a message; the addressee sees it live and accepts', async () => {
    await pa().click(sel('nav-friend'));
    await pa().click(sel('friend-add-open'));
    await pa().fill(input('friend-search'), B.user);
    await pa().press(input('friend-search'), 'Enter');
    const row = pa().locator(sel(`search-user-${B.user}`));
    await row.locator(sel('friend-request-btn')).click();
    await pa().locator('.el-message-box input').fill('你好，我是 Rosa');
    await pa().locator('.el-message-box__btns .el-button--primary').click();
    await row.locator(sel('friend-request-pending')).waitFor();
    await shot(pa(), '60-friend-request-sent');
    await pa().keyboard.press('Escape');

    await pb().click(sel('nav-friend'));
    await pb().locator(sel('friend-requests-count')).getByText('1').waitFor();
    await pb().click(sel('friend-requests-open'));
    const request = pb().locator(sel('friend-requests')).locator('[data-test^="request-"]').first();
    await request.getByText('你好，我是 Rosa').waitFor();
    await shot(pb(), '61-friend-request-received');
    await request.locator(sel('request-accept')).click();
    await pb()
      .locator(`${sel('friend-list')} [data-name="${A.nick}"]`)
      .first()
      .waitFor();

    // the sender learns it live: the new friend, and the tip in the chat
    await pa()
      .locator(`${sel('friend-list')} [data-name="${B.nick}"]`)
      .first()
      .waitFor();
    await openFriendChat(pa(), B.nick);
    await messageList(pa()).getByText('你们已成为好友，现在可以开始聊天了').waitFor();
    const friends = await rosa.api.get<{ id: number }[]>('/friend/list');
    expect(friends.data!.map((f) => f.id)).toContain(sven.id);
  });

  it('mutes a member: the invitation is accepted, then the muted member cannot send and is told why', async () => {
    const created = await rosa.api.post<{ id: number }>('/group/create', { name: group });
    const groupId = created.data!.id;
    // Sven adds friends by request only: the invitation waits for his consent
    expect((await rosa.api.post('/group/invite', { groupId, friendIds: [sven.id] })).code).toBe(200);
    await pb().click(sel('nav-friend'));
    await pb().click(sel('friend-requests-open'));
    await pb().locator(sel('invite-accept')).first().click();
    await openChat(pb(), group);
    await sendText(pb(), 'before the mute');
    await openChat(pa(), group);
    await messageList(pa()).getByText('before the mute').waitFor();

    await pa().click(sel('group-side-toggle'));
    await pa()
      .locator(sel(`member-${sven.id}`))
      .click();
    await pa().click(sel('menu-mute10m'));
    await pa()
      .locator(sel(`member-${sven.id}`))
      .locator(sel('member-muted'))
      .waitFor();
    await messageList(pa()).getByText(`'${B.nick}'被'${A.nick}'禁言10分钟`).waitFor();

    await pb().locator(sel('chat-muted')).waitFor();
    await sendText(pb(), 'can I speak?');
    const reason = messageList(pb()).locator(sel('msg-fail-reason')).first();
    await reason.waitFor();
    expect(await reason.textContent()).toMatch(/您已被禁言，解除时间：\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
    await shot(pb(), '62-muted-send-refused');
    const history = await rosa.api.get<{ content: string }[]>(
      `/message/group/history?groupId=${groupId}&page=1&size=20`,
    );
    expect(history.data!.map((m) => m.content)).not.toContain('can I speak?');
  });
});
