import type { AdminAuditRow, GroupRow, UserRow } from '../db';

/** A user as the administration sees it. */
export interface AdminUserVO {
  id: number;
  userName: string;
  nickName: string;
  headImageThumb: string;
  isBanned: boolean;
  reason: string;
  isAdmin: boolean;
  createdTime: number;
  lastLoginTime: number | null;
}

/** A group as the administration sees it. */
export interface AdminGroupVO {
  id: number;
  name: string;
  ownerId: number;
  headImageThumb: string;
  isBanned: boolean;
  reason: string;
  dissolve: boolean;
  createdTime: number;
}

export interface AdminAuditVO {
  id: number;
  adminId: number;
  adminName: string;
  action: string;
  targetType: string;
  targetId: number | null;
  reason: string;
  detail: string;
  createdTime: number;
}

export interface SensitiveWordVO {
  id: number;
  content: string;
  enabled: boolean;
  createTime: number;
}

export interface DailyStatsVO {
  /** UTC day, YYYY-MM-DD. */
  date: string;
  registrations: number;
  activeUsers: number;
  messages: number;
}

export interface PageVO<T> {
  total: number;
  page: number;
  size: number;
  records: T[];
}

export const userVO = (u: UserRow): AdminUserVO => ({
  id: u.id,
  userName: u.user_name,
  nickName: u.nick_name,
  headImageThumb: u.head_image_thumb ?? '',
  isBanned: !!u.is_banned,
  reason: u.reason ?? '',
  isAdmin: !!u.is_admin,
  createdTime: u.created_time.getTime(),
  lastLoginTime: u.last_login_time ? u.last_login_time.getTime() : null,
});

export const groupVO = (g: GroupRow): AdminGroupVO => ({
  id: g.id,
  name: g.name,
  ownerId: g.owner_id,
  headImageThumb: g.head_image_thumb ?? '',
  isBanned: !!g.is_banned,
  reason: g.reason ?? '',
  dissolve: !!g.dissolve,
  createdTime: g.created_time.getTime(),
});

export const auditVO = (a: AdminAuditRow, names: Map<number, string>): AdminAuditVO => ({
  id: a.id,
  adminId: a.admin_id,
  adminName: names.get(a.admin_id) ?? '',
  action: a.action,
  targetType: a.target_type,
  targetId: a.target_id,
  reason: a.reason,
  detail: a.detail,
  createdTime: a.created_time.getTime(),
});
