import { defineErrors } from '../app-error';

/** Errors of the HTTP layer, authentication and accounts. */
export const CommonErrors = defineErrors({
  NO_LOGIN: { code: 400, zh: '未登录', en: 'Not logged in' },
  INVALID_TOKEN: { code: 401, zh: 'token无效或已过期', en: 'The token is invalid or has expired' },
  INTERNAL: { code: 500, zh: '系统繁忙，请稍后再试', en: 'The system is busy, please try again later' },
  VALIDATION: { code: 500, zh: '参数错误：{detail}', en: 'Invalid request: {detail}' },
  ROUTE_NOT_FOUND: { code: 500, zh: '接口不存在：{method} {url}', en: 'No such endpoint: {method} {url}' },
  BAD_URL: { code: 500, zh: '请求地址格式不正确', en: 'The request URL is malformed' },
  PARAM_TOO_LONG: {
    code: 500,
    zh: '请求地址中的参数过长',
    en: 'A parameter in the request path is too long',
  },
  METHOD_NOT_ALLOWED: { code: 500, zh: '请求方法不支持', en: 'Method not allowed' },
  BODY_TOO_LARGE: { code: 500, zh: '请求内容过大', en: 'The request body is too large' },
  BAD_JSON: { code: 500, zh: '数据格式不正确', en: 'The request body is not valid JSON' },
  JSON_TOO_DEEP: {
    code: 500,
    zh: '数据嵌套层数过多（最多{max}层）',
    en: 'The request body is nested too deeply (at most {max} levels)',
  },
  NUL_CHARACTER: {
    code: 500,
    zh: '参数 {field} 不能包含空字符（\\u0000）',
    en: 'Field {field} must not contain NUL characters (\\u0000)',
  },
  UNSTORABLE_TEXT: {
    code: 500,
    zh: '内容包含数据库无法保存的字符',
    en: 'The text contains characters the database cannot store',
  },
  TEXT_TOO_LONG: {
    code: 500,
    zh: '内容过长，无法保存',
    en: 'The text is too long to be stored',
  },
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
  BAD_IMAGE_URL: {
    code: 500,
    zh: '{field} 必须是 http(s) 图片地址或本站上传的图片（/files/…）',
    en: '{field} must be an http(s) image URL or an image uploaded here (/files/…)',
  },
  NAME_TOO_LONG: {
    code: 500,
    zh: '名称规范化后超过{max}个字符',
    en: 'The name is longer than {max} characters once normalised',
  },
  USERNAME_INVISIBLE: {
    code: 500,
    zh: '用户名不能包含不可见字符或格式控制字符（如零宽空格）',
    en: 'The user name must not contain invisible or formatting characters (such as zero-width spaces)',
  },
  USERNAME_MIXED_SCRIPTS: {
    code: 500,
    zh: '用户名不能混用易混淆的文字（如拉丁字母与西里尔字母），中文与英文可以混用',
    en: 'The user name must not mix look-alike scripts (such as Latin and Cyrillic); Chinese with Latin is fine',
  },
  NICKNAME_INVISIBLE: {
    code: 500,
    zh: '昵称不能包含不可见字符或格式控制字符（如零宽空格）',
    en: 'The nickname must not contain invisible or formatting characters (such as zero-width spaces)',
  },
  NICKNAME_MIXED_SCRIPTS: {
    code: 500,
    zh: '昵称的同一个词不能混用易混淆的文字（如拉丁字母与西里尔字母），中文与英文可以混用',
    en: 'A word of the nickname must not mix look-alike scripts (such as Latin and Cyrillic); Chinese with Latin is fine',
  },
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
