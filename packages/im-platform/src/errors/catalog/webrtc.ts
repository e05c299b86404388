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
  SIGNAL_TOO_LARGE: { code: 500, zh: '信令数据过大', en: 'The signalling payload is too large' },
});
