import { Type, type TSchema } from 'typebox';

/** Response shapes of `/api/admin/*` (see services/admin.vo.ts). */
export const AdminUserSchema = Type.Object({
  id: Type.Integer(),
  userName: Type.String(),
  nickName: Type.String(),
  headImageThumb: Type.String(),
  isBanned: Type.Boolean(),
  reason: Type.String(),
  isAdmin: Type.Boolean(),
  createdTime: Type.Integer({ description: 'ms since the epoch' }),
  lastLoginTime: Type.Union([Type.Integer(), Type.Null()]),
});

export const AdminGroupSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  ownerId: Type.Integer(),
  headImageThumb: Type.String(),
  isBanned: Type.Boolean(),
  reason: Type.String(),
  dissolve: Type.Boolean(),
  createdTime: Type.Integer(),
});

export const AdminAuditSchema = Type.Object({
  id: Type.Integer(),
  adminId: Type.Integer(),
  adminName: Type.String(),
  action: Type.String({ description: 'USER_BAN, USER_UNBAN, GROUP_BAN, GROUP_UNBAN, WORD_*, ADMIN_*' }),
  targetType: Type.String({ description: 'user, group or word' }),
  targetId: Type.Union([Type.Integer(), Type.Null()]),
  reason: Type.String(),
  detail: Type.String(),
  createdTime: Type.Integer(),
});

export const SensitiveWordSchema = Type.Object({
  id: Type.Integer(),
  content: Type.String(),
  enabled: Type.Boolean(),
  createTime: Type.Integer(),
});

export const DailyStatsSchema = Type.Object({
  date: Type.String({ description: 'UTC day, YYYY-MM-DD' }),
  registrations: Type.Integer(),
  activeUsers: Type.Integer({ description: 'distinct senders of private or group messages' }),
  messages: Type.Integer(),
});

export const PageOf = (item: TSchema) =>
  Type.Object({
    total: Type.Integer(),
    page: Type.Integer(),
    size: Type.Integer(),
    records: Type.Array(item),
  });

/** A UTC day. */
export const DaySchema = () =>
  Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD (UTC)' });
