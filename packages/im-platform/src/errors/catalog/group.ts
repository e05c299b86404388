import { defineErrors } from '../app-error';

/** Errors of groups and group messages (box-im's texts where it has one). */
export const GroupErrors = defineErrors({
  GROUP_NOT_FOUND: { code: 500, zh: '群组不存在', en: 'The group does not exist' },
  GROUP_DISSOLVED: { code: 500, zh: "群组'{name}'已解散", en: "The group '{name}' has been dissolved" },
  GROUP_BANNED: {
    code: 500,
    zh: "群组'{name}'已被封禁,原因:{reason}",
    en: "The group '{name}' has been banned: {reason}",
  },
  NAME_BLANK: { code: 500, zh: '群名称不可为空', en: 'The group name must not be empty' },
  NOT_MEMBER: { code: 500, zh: '您不是群聊的成员', en: 'You are not a member of this group' },
  NOT_JOINED: { code: 500, zh: '您未加入群聊', en: 'You have not joined this group' },
  NOT_IN_GROUP: { code: 500, zh: '您已不在群聊里面', en: 'You are no longer in this group' },
  SEND_NOT_MEMBER: {
    code: 500,
    zh: '您已不在群聊里面，无法发送消息',
    en: 'You are no longer in this group and cannot send messages',
  },
  OWNER_ONLY_EDIT: {
    code: 500,
    zh: '只有群主才能修改群名称、群公告和群头像',
    en: "Only the group owner may change the group's name, notice or avatar",
  },
  OWNER_ONLY_DISSOLVE: {
    code: 500,
    zh: '只有群主才有权限解除群聊',
    en: 'Only the group owner may dissolve the group',
  },
  OWNER_CANNOT_QUIT: { code: 500, zh: '您是群主，不可退出群聊', en: 'The group owner cannot quit the group' },
  OWNER_ONLY_KICK: {
    code: 500,
    zh: '您不是群主，没有权限踢人',
    en: 'Only the group owner may remove members',
  },
  OWNER_ONLY_REMOVE: { code: 500, zh: '您没有权限', en: 'Only the group owner may remove members' },
  CANNOT_REMOVE_OWNER: { code: 500, zh: '不允许移除群主', en: 'The group owner cannot be removed' },
  CANNOT_REMOVE_SELF: { code: 500, zh: '不允许移除自己', en: 'You cannot remove yourself' },
  USER_NOT_IN_GROUP: {
    code: 500,
    zh: '用户{userId}不在群聊中',
    en: 'User {userId} is not a member of this group',
  },
  INVITER_NOT_MEMBER: {
    code: 500,
    zh: '您不在群聊中,邀请失败',
    en: 'You are not in this group, invitation failed',
  },
  INVITE_NOT_FRIENDS: {
    code: 500,
    zh: '部分用户不是您的好友，邀请失败',
    en: 'Some of the users are not your friends, invitation failed',
  },
  MEMBERS_LIMIT: {
    code: 500,
    zh: '群聊人数不能大于{max}人',
    en: 'A group cannot have more than {max} members',
  },
  BUSY: { code: 500, zh: '群聊正忙，请稍后再试', en: 'The group is busy, please try again' },
  AT_TOO_MANY: {
    code: 500,
    zh: '一次最多只能@{max}个小伙伴哦',
    en: 'You can mention at most {max} members at once',
  },
  AT_NOT_MEMBER: {
    code: 500,
    zh: '被@的用户{userId}不在群聊中',
    en: 'The mentioned user {userId} is not a member of this group',
  },
  AT_ALL_OWNER_ONLY: {
    code: 500,
    zh: '只有群主才能@全体成员',
    en: 'Only the group owner may mention everyone',
  },
  ADMIN_ONLY: {
    code: 500,
    zh: '只有群主和管理员才能进行此操作',
    en: 'Only the group owner and admins may do this',
  },
  OWNER_ONLY: { code: 500, zh: '只有群主才能进行此操作', en: 'Only the group owner may do this' },
  ADMIN_OVER_ADMIN: {
    code: 500,
    zh: '管理员不能对群主或其他管理员进行此操作',
    en: 'Admins cannot do this to the owner or other admins',
  },
  TARGET_IS_OWNER: { code: 500, zh: '不能对群主进行此操作', en: 'This cannot be done to the group owner' },
  MEMBER_MUTED: {
    code: 500,
    zh: '您已被禁言，解除时间：{until}',
    en: 'You are muted in this group until {until}',
  },
  ALL_MUTED: {
    code: 500,
    zh: '本群已开启全员禁言，仅群主和管理员可以发言',
    en: 'Everyone is muted in this group: only the owner and admins may speak',
  },
  INVITE_NOT_FOUND: {
    code: 500,
    zh: '群聊邀请不存在或已处理',
    en: 'The group invitation does not exist or has already been handled',
  },
  MESSAGE_NOT_IN_GROUP: {
    code: 500,
    zh: '消息不属于该群聊',
    en: 'The message does not belong to this group',
  },
});
