import { defineErrors } from '../app-error';

/** Errors of the private-message endpoints (shared message errors are in `message.ts`). */
export const PrivateMessageErrors = defineErrors({
  SEND_NOT_FRIEND: {
    code: 500,
    zh: '您已不是对方好友，无法发送消息',
    en: 'You are not friends with this user, the message cannot be sent',
  },
  READ_NOT_FRIEND: {
    code: 500,
    zh: '对方不是您的好友，也未给您发过消息，无法标记已读',
    en: 'This user is not your friend and has sent you no messages, there is nothing to mark as read',
  },
  HISTORY_NOT_FRIEND: {
    code: 500,
    zh: '对方不是您的好友，无法查看聊天记录',
    en: 'This user is not your friend, there is no chat history to show',
  },
});
