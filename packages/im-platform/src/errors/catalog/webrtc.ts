import { defineErrors } from '../app-error';

/** Errors of private voice/video call signalling. */
export const WebrtcErrors = defineErrors({
  SELF_OFFLINE: {
    code: 500,
    zh: '您当前的网络连接已断开,请稍后重试',
    en: 'You are not connected; please try again in a moment',
  },
  PEER_OFFLINE: { code: 500, zh: '对方目前不在线', en: 'The other user is not online' },
  PEER_BUSY: { code: 500, zh: '对方正忙', en: 'The other user is busy' },
  CALL_ENDED: { code: 500, zh: '通话已结束', en: 'The call has ended' },
  CALL_NOT_FRIEND: { code: 500, zh: '对方不是您的好友，无法通话', en: 'You can only call your friends' },
  CALL_SELF: { code: 500, zh: '不能呼叫自己', en: 'You cannot call yourself' },
  NOT_IN_CALL: { code: 500, zh: '您不在这个通话中', en: 'You are not part of this call' },
  SELF_BUSY: { code: 500, zh: '您正在通话中', en: 'You are already in a call' },
  GROUP_CALL_RUNNING: {
    code: 500,
    zh: '该群已有通话正在进行,请直接加入',
    en: 'A call is already running in this group; join it instead',
  },
  GROUP_CALL_ENDED: { code: 500, zh: '群通话已结束', en: 'The group call has ended' },
  GROUP_CALL_FULL: {
    code: 500,
    zh: '通话人数不能超过{max}人',
    en: 'A call cannot have more than {max} participants',
  },
  GROUP_CALL_TOO_FEW: {
    code: 500,
    zh: '请至少选择一位其他成员',
    en: 'Choose at least one other member to call',
  },
  GROUP_CALL_NOT_MEMBER: {
    code: 500,
    zh: '用户{id}不是群成员,无法加入通话',
    en: 'User {id} is not a member of the group and cannot join the call',
  },
  GROUP_CALL_NOT_INVITED: {
    code: 500,
    zh: '您没有被邀请加入该通话',
    en: 'You were not invited to this call',
  },
  GROUP_CALL_ALREADY_IN: { code: 500, zh: '您已在通话中', en: 'You are already in this call' },
  GROUP_CALL_PEER_NOT_IN: {
    code: 500,
    zh: '用户{id}不在通话中',
    en: 'User {id} is not in the call',
  },
  GROUP_CALL_NOT_HOST: {
    code: 500,
    zh: '只有发起人可以取消通话',
    en: 'Only the member who started the call can cancel it',
  },
  SIGNAL_TOO_LARGE: { code: 500, zh: '信令数据过大', en: 'The signalling payload is too large' },
});
