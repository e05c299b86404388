import { defineErrors } from '../app-error';

/** Errors of the HTTP layer, authentication and accounts. */
export const CommonErrors = defineErrors({
  NO_LOGIN: { code: 400, zh: '未登录', en: 'Not logged in' },
  INVALID_TOKEN: { code: 401, zh: 'token无效或已过期', en: 'The token is invalid or has expired' },
  INTERNAL: { code: 500, zh: '系统繁忙，请稍后再试', en: 'The system is busy, please try again later' },
  VALIDATION: { code: 500, zh: '参数错误：{detail}', en: 'Invalid request: {detail}' },
  ROUTE_NOT_FOUND: { code: 500, zh: '接口不存在：{method} {url}', en: 'No such endpoint: {method} {url}' },
  METHOD_NOT_ALLOWED: { code: 500, zh: '请求方法不支持', en: 'Method not allowed' },
  BODY_TOO_LARGE: { code: 500, zh: '请求内容过大', en: 'The request body is too large' },
  BAD_JSON: { code: 500, zh: '数据格式不正确', en: 'The request body is not valid JSON' },
  UNSUPPORTED_MEDIA_TYPE: {
    code: 500,
    zh: '不支持的内容类型：{type}',
    en: 'Unsupported content type: {type}',
  },
  TOO_MANY_REQUESTS: {
    code: 429,
    zh: '操作过于频繁，请{seconds}秒后再试',
    en: 'Too many requests, please try again in {seconds} s',
  },
  REPEAT_SUBMIT: { code: 500, zh: '请勿提交重复请求', en: 'Duplicate request, please wait a moment' },
});

export const AuthErrors = defineErrors({
  PASSWORD_ERROR: { code: 10001, zh: '密码不正确', en: 'Wrong password' },
  USERNAME_ALREADY_REGISTER: {
    code: 10003,
    zh: '该用户名已注册',
    en: 'This user name is already registered',
  },
  USER_NOT_FOUND: { code: 500, zh: '用户不存在', en: 'The user does not exist' },
  USER_BANNED: {
    code: 500,
    zh: "您的账号因'{reason}'已被管理员封禁,请联系客服!",
    en: "Your account has been banned by an administrator for '{reason}'. Please contact support.",
  },
  REFRESH_EXPIRED: {
    code: 500,
    zh: '您的登录信息已过期，请重新登录',
    en: 'Your login has expired, please log in again',
  },
  USERNAME_SENSITIVE: { code: 500, zh: '用户名包含敏感字符', en: 'The user name contains forbidden words' },
  NICKNAME_SENSITIVE: { code: 500, zh: '昵称包含敏感字符', en: 'The nickname contains forbidden words' },
  OLD_PASSWORD_ERROR: { code: 500, zh: '旧密码不正确', en: 'The old password is wrong' },
  MODIFY_OTHER_USER: {
    code: 500,
    zh: '不允许修改其他用户的信息',
    en: "You may not change another user's profile",
  },
  BAD_USER_IDS: {
    code: 500,
    zh: '用户id格式错误：{value}',
    en: 'Invalid user id list: {value}',
  },
});
