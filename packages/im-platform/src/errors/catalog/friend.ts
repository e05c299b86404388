import { defineErrors } from '../app-error';

/** Errors of the friend endpoints. */
export const FriendErrors = defineErrors({
  ADD_SELF: { code: 500, zh: '不允许添加自己为好友', en: 'You cannot add yourself as a friend' },
  FRIEND_USER_NOT_FOUND: { code: 500, zh: '用户不存在', en: 'User {id} does not exist' },
  ALREADY_FRIEND: { code: 500, zh: '对方已经是您的好友', en: 'This user is already your friend' },
  NOT_FRIEND: { code: 500, zh: '对方不是您的好友', en: 'This user is not your friend' },
  REQUESTS_OFF: {
    code: 500,
    zh: '好友申请功能未开启',
    en: 'Friend requests are not enabled on this server',
  },
  REQUEST_NEEDED: {
    code: 500,
    zh: '对方开启了好友验证，请发送好友申请',
    en: 'This user accepts friends by request only: send a friend request',
  },
  ADD_REFUSED: {
    code: 500,
    zh: '对方不允许任何人添加好友',
    en: 'This user does not let anyone add them as a friend',
  },
  REQUEST_NOT_FOUND: {
    code: 500,
    zh: '好友申请不存在或已处理',
    en: 'The friend request does not exist or has already been handled',
  },
});
