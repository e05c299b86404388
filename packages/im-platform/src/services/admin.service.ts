import { pushJson } from '@box-im/im-bus';
import { RedisKey, type UserSession } from '@box-im/im-common';
import { PlatformKey } from '../bus-keys';
import type { UserRow } from '../db';
import { AdminErrors, AppError } from '../errors';
import { loginName } from './names';
import type { ServiceDeps } from './deps';
import {
  auditVO,
  groupVO,
  userVO,
  type AdminAuditVO,
  type AdminGroupVO,
  type AdminUserVO,
  type DailyStatsVO,
  type PageVO,
  type SensitiveWordVO,
} from './admin.vo';

/** Longest date range of the statistics, in days. */
export const STATS_MAX_DAYS = 92;
const PAGE_MAX = 100;
const DAY_MS = 86_400_000;

/** What an audit entry records. */
export type AdminAction =
  | 'USER_BAN'
  | 'USER_UNBAN'
  | 'GROUP_BAN'
  | 'GROUP_UNBAN'
  | 'WORD_ADD'
  | 'WORD_UPDATE'
  | 'WORD_DELETE'
  | 'ADMIN_GRANT'
  | 'ADMIN_REVOKE';

export type AdminServiceDeps = Pick<
  ServiceDeps,
  'users' | 'groups' | 'admin' | 'sensitiveWords' | 'words' | 'authUsers' | 'bus' | 'clock' | 'log'
>;

const paging = (page: number, size: number) => {
  const p = Math.max(1, page);
  const s = size <= 0 ? 20 : Math.min(size, PAGE_MAX);
  return { page: p, size: s, offset: (p - 1) * s };
};

/**
 * The administration (issue 15): only users with `is_admin` pass `requireAdmin`, which every
 * method calls first. Bans write the database, then put box-im's ban order on the bus — the
 * same path box-im's own admin console takes, so the ban-queue job does the revoking and
 * telling. Every change is written to the audit log.
 */
export class AdminService {
  constructor(private readonly deps: AdminServiceDeps) {}

  async requireAdmin(session: UserSession): Promise<UserRow> {
    const user = await this.deps.users.findById(session.userId);
    if (!user?.is_admin) throw new AppError(AdminErrors.NOT_ADMIN);
    return user;
  }

  async searchUsers(
    s: UserSession,
    keyword: string,
    page: number,
    size: number,
  ): Promise<PageVO<AdminUserVO>> {
    await this.requireAdmin(s);
    const p = paging(page, size);
    const { rows, total } = await this.deps.admin.searchUsers(keyword.trim(), p.offset, p.size);
    return { total, page: p.page, size: p.size, records: rows.map(userVO) };
  }

  async searchGroups(
    s: UserSession,
    keyword: string,
    page: number,
    size: number,
  ): Promise<PageVO<AdminGroupVO>> {
    await this.requireAdmin(s);
    const p = paging(page, size);
    const { rows, total } = await this.deps.admin.searchGroups(keyword.trim(), p.offset, p.size);
    return { total, page: p.page, size: p.size, records: rows.map(groupVO) };
  }

  async banUser(s: UserSession, userId: number, reason: string): Promise<void> {
    await this.requireAdmin(s);
    const why = reason.trim();
    if (!why) throw new AppError(AdminErrors.BAN_REASON_REQUIRED);
    if (userId === s.userId) throw new AppError(AdminErrors.BAN_SELF);
    await this.user(userId);
    await this.deps.admin.setUserBan(userId, true, why);
    // Refused at once by every platform process; then the tokens are revoked (admin-queues).
    await this.deps.authUsers.changed(userId);
    await pushJson(this.deps.bus, RedisKey.USER_BANNED_QUEUE, [{ id: userId, reason: why }]);
    await this.audit(s.userId, 'USER_BAN', 'user', userId, why);
  }

  async unbanUser(s: UserSession, userId: number): Promise<void> {
    await this.requireAdmin(s);
    await this.user(userId);
    await this.deps.admin.setUserBan(userId, false, '');
    await this.deps.authUsers.changed(userId);
    await this.audit(s.userId, 'USER_UNBAN', 'user', userId);
  }

  async banGroup(s: UserSession, groupId: number, reason: string): Promise<void> {
    await this.requireAdmin(s);
    const why = reason.trim();
    if (!why) throw new AppError(AdminErrors.BAN_REASON_REQUIRED);
    await this.group(groupId);
    await this.deps.admin.setGroupBan(groupId, true, why);
    await pushJson(this.deps.bus, RedisKey.GROUP_BANNED_QUEUE, [{ id: groupId, reason: why }]);
    await this.audit(s.userId, 'GROUP_BAN', 'group', groupId, why);
  }

  async unbanGroup(s: UserSession, groupId: number): Promise<void> {
    await this.requireAdmin(s);
    await this.group(groupId);
    await this.deps.admin.setGroupBan(groupId, false, '');
    await pushJson(this.deps.bus, RedisKey.GROUP_UNBAN_QUEUE, [{ id: groupId }]);
    await this.audit(s.userId, 'GROUP_UNBAN', 'group', groupId);
  }

  async words(s: UserSession): Promise<SensitiveWordVO[]> {
    await this.requireAdmin(s);
    return (await this.deps.sensitiveWords.list()).map((w) => ({
      id: w.id,
      content: w.content,
      enabled: !!w.enabled,
      createTime: w.create_time.getTime(),
    }));
  }

  async addWord(s: UserSession, content: string, enabled: boolean): Promise<number> {
    await this.requireAdmin(s);
    const word = content.trim();
    if (!word) throw new AppError(AdminErrors.WORD_EMPTY);
    if (await this.deps.sensitiveWords.findByContent(word))
      throw new AppError(AdminErrors.WORD_EXISTS, { word });
    const id = await this.deps.sensitiveWords.add(word, enabled, s.userId, this.deps.clock.now());
    await this.reloadWords();
    await this.audit(s.userId, 'WORD_ADD', 'word', id, '', word);
    return id;
  }

  async updateWord(
    s: UserSession,
    id: number,
    change: { content?: string | undefined; enabled?: boolean | undefined },
  ) {
    await this.requireAdmin(s);
    const before = await this.deps.sensitiveWords.findById(id);
    if (!before) throw new AppError(AdminErrors.WORD_NOT_FOUND, { id });
    const content = change.content?.trim();
    if (content === '') throw new AppError(AdminErrors.WORD_EMPTY);
    await this.deps.sensitiveWords.update(id, { content, enabled: change.enabled });
    await this.reloadWords();
    const detail = `${before.content}${content && content !== before.content ? ` → ${content}` : ''}${
      change.enabled === undefined ? '' : change.enabled ? ' (on)' : ' (off)'
    }`;
    await this.audit(s.userId, 'WORD_UPDATE', 'word', id, '', detail);
  }

  async deleteWord(s: UserSession, id: number): Promise<void> {
    await this.requireAdmin(s);
    const before = await this.deps.sensitiveWords.findById(id);
    if (!before) throw new AppError(AdminErrors.WORD_NOT_FOUND, { id });
    await this.deps.sensitiveWords.delete(id);
    await this.reloadWords();
    await this.audit(s.userId, 'WORD_DELETE', 'word', id, '', before.content);
  }

  /** Per UTC day from `from` to `to` (YYYY-MM-DD, both included). */
  async stats(s: UserSession, from: string, to: string): Promise<DailyStatsVO[]> {
    await this.requireAdmin(s);
    const start = Date.parse(`${from}T00:00:00Z`);
    const end = Date.parse(`${to}T00:00:00Z`);
    const days = (end - start) / DAY_MS + 1;
    if (!Number.isFinite(days) || days < 1 || days > STATS_MAX_DAYS)
      throw new AppError(AdminErrors.STATS_RANGE, { max: STATS_MAX_DAYS });
    const out: DailyStatsVO[] = [];
    for (let day = start; day <= end; day += DAY_MS) {
      const [a, b] = [new Date(day), new Date(day + DAY_MS)];
      out.push({
        date: a.toISOString().slice(0, 10),
        registrations: await this.deps.admin.registrations(a, b),
        activeUsers: await this.deps.admin.activeUsers(a, b),
        messages: await this.deps.admin.messages(a, b),
      });
    }
    return out;
  }

  async auditLog(s: UserSession, page: number, size: number): Promise<PageVO<AdminAuditVO>> {
    await this.requireAdmin(s);
    const p = paging(page, size);
    const { rows, total } = await this.deps.admin.audit(p.offset, p.size);
    const admins = await this.deps.users.findByIds([...new Set(rows.map((r) => r.admin_id))]);
    const names = new Map(admins.map((u) => [u.id, u.user_name]));
    return { total, page: p.page, size: p.size, records: rows.map((r) => auditVO(r, names)) };
  }

  /**
   * Grant or revoke the admin role by user name, outside any session (ADMIN_USERS at boot, the
   * command line). Returns the user, or undefined if there is none of that name.
   */
  async setAdminByName(name: string, admin: boolean, via: string): Promise<UserRow | undefined> {
    const user = await this.deps.users.findByUserName(loginName(name));
    if (!user) return undefined;
    if (!!user.is_admin !== admin) {
      await this.deps.admin.setAdmin(user.id, admin);
      await this.audit(user.id, admin ? 'ADMIN_GRANT' : 'ADMIN_REVOKE', 'user', user.id, '', via);
    }
    return { ...user, is_admin: admin ? 1 : 0 };
  }

  private async user(id: number): Promise<UserRow> {
    const user = await this.deps.users.findById(id);
    if (!user) throw new AppError(AdminErrors.ADMIN_USER_NOT_FOUND, { id });
    return user;
  }

  private async group(id: number): Promise<void> {
    if (!(await this.deps.groups.findById(id))) throw new AppError(AdminErrors.ADMIN_GROUP_NOT_FOUND, { id });
  }

  /**
   * This process at once, the others on the bus notice (their sensitive-word job reloads);
   * a notice that cannot be sent leaves them to their periodic reload (SENSITIVE_WORD_RELOAD_SECONDS).
   */
  private async reloadWords(): Promise<void> {
    this.deps.words.load(await this.deps.sensitiveWords.enabledWords());
    try {
      await this.deps.bus.publish(PlatformKey.sensitiveWordsChanged, String(this.deps.clock.now().getTime()));
    } catch (err) {
      this.deps.log.warn({ err }, 'sensitive-word notice not sent; other processes reload periodically');
    }
  }

  private async audit(
    adminId: number,
    action: AdminAction,
    targetType: string,
    targetId: number | null,
    reason = '',
    detail = '',
  ): Promise<void> {
    await this.deps.admin.addAudit({
      admin_id: adminId,
      action,
      target_type: targetType,
      target_id: targetId,
      reason,
      detail: detail.slice(0, 255),
      created_time: this.deps.clock.now(),
    });
    this.deps.log.info({ adminId, action, targetType, targetId }, 'admin action');
  }
}
