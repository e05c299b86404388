/**
 * UI strings that im-web and the mobile client show alike, in Chinese (the reference: every
 * key is defined here) and English. Each client spreads them into its own tables and keeps
 * its own wording for the rest (a phone says 登录 where the web client has its own phrasing).
 */
export const sharedZh = {
  'login.password': '密码',

  'register.title': '注册',
  'register.confirm': '确认密码',
  'register.mismatch': '两次输入的密码不一致',

  'common.cancel': '取消',

  'chat.typing': '对方正在输入…',
  'chat.draft': '[草稿]',

  'msg.image': '[图片]',
  'msg.file': '[文件]',
  'msg.audio': '[语音]',
  'msg.video': '[视频]',
  'msg.voiceCall': '[语音通话]',
  'msg.videoCall': '[视频通话]',
  'msg.record': '[聊天记录]',
  'msg.recalledSelf': '你撤回了一条消息',

  'time.yesterday': '昨天',

  'forward.title': '转发给',
  'forward.selected': '已选 {n} 条',
  'forward.cancel': '取消',
  'forward.done': '已转发',

  'record.title': '{names}的聊天记录',
  'record.groupTitle': '群聊"{names}"的聊天记录',

  'search.empty': '没有找到相关的聊天记录',

  'friend.add': '添加好友',
  'friend.online': '在线',
  'friend.delete': '删除好友',

  'user.nickName': '昵称',
  'user.sex': '性别',
  'user.male': '男',
  'user.female': '女',
  'user.signature': '个性签名',

  'group.create': '创建群聊',
  'group.invite': '邀请',
  'group.remove': '移除',
  'group.owner': '群主',
  'group.myNick': '我在本群的昵称',
  'group.notice': '群公告',
  'group.quit': '退出群聊',
  'group.dissolve': '解散群聊',

  'rtc.accept': '接听',
  'rtc.reject': '拒绝',
  'rtc.hangup': '挂断',
  'rtc.otherDeviceAccepted': '已在其他设备接听',
  'rtc.otherDeviceRejected': '已在其他设备拒绝',
  'rtc.hungUp': '对方已挂断',

  'gcall.start': '群通话',
  'gcall.choose': '选择通话成员',
  'gcall.waiting': '等待接听',
  'gcall.mute': '静音',
  'gcall.unmute': '取消静音',
  'gcall.cameraOff': '关闭摄像头',
  'gcall.cameraOn': '打开摄像头',
  'gcall.leave': '离开',
  'gcall.me': '我',
  'gcall.muted': '已静音',
  'gcall.join': '加入',

  'group.admin': '管理员',
  'group.muted': '禁言中',
  'group.makeAdmin': '设为管理员',
  'group.unmakeAdmin': '取消管理员',
  'group.mute': '禁言',
  'group.unmute': '解除禁言',
  'group.muteAll': '全员禁言',
  'group.transfer': '转让群主',
  'group.allMutedTip': '全员禁言中，仅群主和管理员可以发言',
};

export type SharedMessageKey = keyof typeof sharedZh;

export const sharedEn: Record<SharedMessageKey, string> = {
  'login.password': 'Password',

  'register.title': 'Register',
  'register.confirm': 'Confirm password',
  'register.mismatch': 'The passwords do not match',

  'common.cancel': 'Cancel',

  'chat.typing': 'typing…',
  'chat.draft': '[Draft]',

  'msg.image': '[Image]',
  'msg.file': '[File]',
  'msg.audio': '[Voice]',
  'msg.video': '[Video]',
  'msg.voiceCall': '[Voice call]',
  'msg.videoCall': '[Video call]',
  'msg.record': '[Chat record]',
  'msg.recalledSelf': 'You recalled a message',

  'time.yesterday': 'Yesterday',

  'forward.title': 'Forward to',
  'forward.selected': '{n} selected',
  'forward.cancel': 'Cancel',
  'forward.done': 'Forwarded',

  'record.title': 'Chat record of {names}',
  'record.groupTitle': 'Chat record of group "{names}"',

  'search.empty': 'No messages found',

  'friend.add': 'Add friend',
  'friend.online': 'Online',
  'friend.delete': 'Delete friend',

  'user.nickName': 'Nickname',
  'user.sex': 'Sex',
  'user.male': 'Male',
  'user.female': 'Female',
  'user.signature': 'Signature',

  'group.create': 'New group',
  'group.invite': 'Invite',
  'group.remove': 'Remove',
  'group.owner': 'Owner',
  'group.myNick': 'My nickname here',
  'group.notice': 'Notice',
  'group.quit': 'Leave group',
  'group.dissolve': 'Dissolve group',

  'rtc.accept': 'Accept',
  'rtc.reject': 'Reject',
  'rtc.hangup': 'Hang up',
  'rtc.otherDeviceAccepted': 'Answered on another device',
  'rtc.otherDeviceRejected': 'Rejected on another device',
  'rtc.hungUp': 'The other side hung up',

  'gcall.start': 'Group call',
  'gcall.choose': 'Choose who to call',
  'gcall.waiting': 'Ringing',
  'gcall.mute': 'Mute',
  'gcall.unmute': 'Unmute',
  'gcall.cameraOff': 'Camera off',
  'gcall.cameraOn': 'Camera on',
  'gcall.leave': 'Leave',
  'gcall.me': 'me',
  'gcall.muted': 'Muted',
  'gcall.join': 'Join',

  'group.admin': 'Admin',
  'group.muted': 'Muted',
  'group.makeAdmin': 'Make admin',
  'group.unmakeAdmin': 'Remove admin',
  'group.mute': 'Mute',
  'group.unmute': 'Unmute',
  'group.muteAll': 'Mute everyone',
  'group.transfer': 'Transfer ownership',
  'group.allMutedTip': 'Everyone is muted: only the owner and admins may speak',
};
