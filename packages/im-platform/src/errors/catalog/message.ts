import { defineErrors } from '../app-error';

/** Errors shared by private and group messages. */
export const MessageErrors = defineErrors({
  TYPE_NOT_ALLOWED: {
    code: 500,
    zh: '不支持发送该类型的消息：{type}',
    en: 'Messages of type {type} cannot be sent',
  },
  CONTENT_BLANK: { code: 500, zh: '发送内容不可为空', en: 'The message content must not be empty' },
  CONTENT_TOO_LONG: {
    code: 500,
    zh: '内容长度不得大于{max}',
    en: 'The message content must be at most {max} characters',
  },
  CONTENT_INVALID: {
    code: 500,
    zh: '消息内容格式不正确：{detail}',
    en: 'Invalid message content: {detail}',
  },
  MESSAGE_NOT_FOUND: { code: 500, zh: '消息不存在', en: 'The message does not exist' },
  RECALL_NOT_SENDER: {
    code: 500,
    zh: '这条消息不是由您发送,无法撤回',
    en: 'You can only recall messages you sent',
  },
  RECALL_EXPIRED: {
    code: 500,
    zh: '消息已发送超过5分钟，无法撤回',
    en: 'Messages can only be recalled within 5 minutes of sending',
  },
  ALREADY_RECALLED: { code: 500, zh: '消息已被撤回', en: 'The message has already been recalled' },
  CHAT_PREF_NO_CHAT: {
    code: 500,
    zh: '会话不存在（{chatType} {chatId}），无法保存置顶或草稿',
    en: 'There is no chat {chatType} {chatId} of yours, its pin or draft cannot be saved',
  },
  RECALL_TYPE: { code: 500, zh: '该消息不能撤回', en: 'This message cannot be recalled' },
  TMP_ID_REUSED: {
    code: 500,
    zh: '消息临时id {tmpId} 已被另一条消息使用',
    en: 'The temporary message id {tmpId} was already used for another message',
  },
  QUOTE_NOT_FOUND: {
    code: 500,
    zh: '引用的消息不存在或不在本会话中',
    en: 'The quoted message does not exist or is not part of this conversation',
  },
  QUOTE_RECALLED: { code: 500, zh: '引用的消息已被撤回', en: 'The quoted message has been recalled' },
  QUOTE_TYPE: { code: 500, zh: '该消息不能被引用', en: 'This message cannot be quoted' },
  FORWARD_NOT_FOUND: {
    code: 500,
    zh: '要转发的消息不存在或不在您的会话中',
    en: 'A message to forward does not exist or is not part of your conversations',
  },
  FORWARD_RECALLED: { code: 500, zh: '已撤回的消息不能转发', en: 'Recalled messages cannot be forwarded' },
  FORWARD_TYPE: { code: 500, zh: '该消息不能转发', en: 'This message cannot be forwarded' },
  FORWARD_MIXED: {
    code: 500,
    zh: '一次只能转发同一会话中的消息',
    en: 'Messages forwarded together must come from one conversation',
  },
  FORWARD_TOO_LARGE: {
    code: 500,
    zh: '合并转发的内容过多，请少选几条',
    en: 'Too much content for one merged forward; select fewer messages',
  },
  SEARCH_KEYWORD_BLANK: { code: 500, zh: '搜索关键字不能为空', en: 'The search keyword must not be empty' },
  SEARCH_CHAT_WITHOUT_TYPE: {
    code: 500,
    zh: '按会话搜索时须同时指定会话类型 chatType',
    en: 'chatId needs chatType (PRIVATE or GROUP)',
  },
});
