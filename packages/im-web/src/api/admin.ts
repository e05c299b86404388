/** `/api/admin/*` (system administrators only; see docs/administration.md). */
import { http } from './http';

export interface Page<T> {
  total: number;
  page: number;
  size: number;
  records: T[];
}
export interface AdminUser {
  id: number;
  userName: string;
  nickName: string;
  isBanned: boolean;
  reason: string;
  isAdmin: boolean;
  createdTime: number;
}
export interface AdminGroup {
  id: number;
  name: string;
  ownerId: number;
  isBanned: boolean;
  reason: string;
  dissolve: boolean;
}
export interface AuditEntry {
  id: number;
  adminName: string;
  action: string;
  targetType: string;
  targetId: number | null;
  reason: string;
  detail: string;
  createdTime: number;
}
export interface Word {
  id: number;
  content: string;
  enabled: boolean;
}
export interface DailyStats {
  date: string;
  registrations: number;
  activeUsers: number;
  messages: number;
}

export const adminApi = {
  /** Whether the caller is an administrator (no error shown when not). */
  isAdmin: () =>
    http.get('/admin/self', { silent: true }).then(
      () => true,
      () => false,
    ),
  users: (keyword: string, page: number) =>
    http.get<Page<AdminUser>>('/admin/users', { query: { keyword, page, size: 10 } }),
  groups: (keyword: string, page: number) =>
    http.get<Page<AdminGroup>>('/admin/groups', { query: { keyword, page, size: 10 } }),
  banUser: (userId: number, reason: string) => http.post('/admin/user/ban', { body: { userId, reason } }),
  unbanUser: (userId: number) => http.post('/admin/user/unban', { body: { userId } }),
  banGroup: (groupId: number, reason: string) => http.post('/admin/group/ban', { body: { groupId, reason } }),
  unbanGroup: (groupId: number) => http.post('/admin/group/unban', { body: { groupId } }),
  words: () => http.get<Word[]>('/admin/words'),
  addWord: (content: string) => http.post<number>('/admin/words', { body: { content } }),
  setWord: (id: number, enabled: boolean) => http.put(`/admin/words/${id}`, { body: { enabled } }),
  deleteWord: (id: number) => http.del(`/admin/words/${id}`),
  stats: (from: string, to: string) => http.get<DailyStats[]>('/admin/stats', { query: { from, to } }),
  audit: (page: number) => http.get<Page<AuditEntry>>('/admin/audit', { query: { page, size: 20 } }),
};
