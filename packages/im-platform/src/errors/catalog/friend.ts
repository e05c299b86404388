import { defineErrors } from '../app-error';

/** Errors of the friend endpoints. */
export const FriendErrors = defineErrors({
  ADD_SELF: { code: 500, zh: '不允许添加自己为好友', en: 'You cannot add yourself as a friend' },
  FRIEND_USER_NOT_FOUND: { code: 500, zh: '用户不存在', en: 'User {id} does not exist' },
  ALREADY_FRIEND: { code: 500, zh: '对方已经是您的好友', en: 'This user is already your friend' },
  NOT_FRIEND: { code: 500, zh: '对方不是您的好友', en: 'This user is not your friend' },
});
