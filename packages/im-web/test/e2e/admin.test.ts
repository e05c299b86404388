/**
 * The admin page (issue 15): only an administrator sees it; banning a user there with a
 * reason tells the user's open client why and logs it out, and the ban is in the audit log.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useE2E } from './fixture';
import { input, login, sel, shot } from './support';

const run = Date.now().toString(36).slice(-5);
const BOSS = `boss${run}`;
const e2e = useE2E({ env: { ADMIN_USERS: BOSS } });
const pa = () => e2e.page('a');
const pb = () => e2e.page('b');
const DAN = `dan${run}`;
let danId: number;

beforeAll(async () => {
  const { server } = e2e;
  await server.account({ userName: BOSS, nickName: `Boss${run}` });
  danId = (await server.account({ userName: DAN, nickName: `Dan${run}` })).id;
  await e2e.restartServer(); // ADMIN_USERS grants the role at boot
  await login(pa(), BOSS);
  await login(pb(), DAN);
});

describe('im-web admin page', () => {
  it('is offered to administrators only', async () => {
    await pa().locator(sel('nav-admin')).waitFor();
    expect(await pb().locator(sel('nav-admin')).count()).toBe(0);
    await pb().goto('/#/home/admin');
    await pb().waitForURL(/#\/home\/chat/);
  });

  it('bans a user with a reason: the user is told and logged out; the audit log shows it', async () => {
    await pa().click(sel('nav-admin'));
    await pa().fill(input('admin-user-keyword'), DAN);
    await pa().click(sel('admin-user-search'));
    await pa().click(sel(`admin-ban-${danId}`));
    await pa().locator('.el-message-box input').fill('恶意刷屏');
    await pa().locator('.el-message-box .el-button--primary').click();
    await pa()
      .locator(sel(`admin-unban-${danId}`))
      .waitFor();
    await expect.poll(() => pa().locator(sel('admin-user-table')).innerText()).toContain('恶意刷屏');

    await pb().locator('.el-message-box').getByText('恶意刷屏').waitFor({ timeout: 15_000 });
    await pb().locator('.el-message-box .el-button--primary').click();
    await pb().waitForURL(/#\/login/);

    await pa()
      .locator('.el-tabs__item', { hasText: /操作日志|Audit log/ })
      .click();
    const row = pa()
      .locator(`${sel('admin-audit')} .el-table__row`)
      .first();
    await expect.poll(() => row.innerText()).toContain('USER_BAN');
    const text = await row.innerText();
    expect(text).toContain(BOSS);
    expect(text).toContain(`user ${danId}`);
    expect(text).toContain('恶意刷屏');
    await shot(pa(), '40-admin-audit');
  });
});
