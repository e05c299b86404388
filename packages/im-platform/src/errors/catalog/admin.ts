import { defineErrors } from '../app-error';

/** Errors of the administration API (`/api/admin/*`) and its command line. */
export const AdminErrors = defineErrors({
  NOT_ADMIN: { code: 403, zh: '仅系统管理员可以访问', en: 'Only system administrators may do this' },
  ADMIN_USER_NOT_FOUND: { code: 500, zh: '用户不存在：{id}', en: 'No such user: {id}' },
  ADMIN_GROUP_NOT_FOUND: { code: 500, zh: '群聊不存在：{id}', en: 'No such group: {id}' },
  BAN_SELF: { code: 500, zh: '不能封禁自己', en: 'You cannot ban yourself' },
  BAN_REASON_REQUIRED: { code: 500, zh: '请填写封禁原因', en: 'A reason for the ban is required' },
  WORD_NOT_FOUND: { code: 500, zh: '敏感词不存在：{id}', en: 'No such sensitive word: {id}' },
  WORD_EMPTY: { code: 500, zh: '敏感词不能为空', en: 'The sensitive word must not be empty' },
  WORD_EXISTS: { code: 500, zh: '敏感词已存在：{word}', en: 'The sensitive word already exists: {word}' },
  STATS_RANGE: {
    code: 500,
    zh: '统计日期范围无效：开始日期不能晚于结束日期，且最多{max}天',
    en: 'Invalid date range: the start must not be after the end, and at most {max} days',
  },
});
