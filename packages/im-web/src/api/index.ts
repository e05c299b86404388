/** Typed wrappers of the box-im endpoints the client calls. */
import type {
  FriendVO,
  GroupMemberVO,
  GroupMessageVO,
  GroupVO,
  LoginVO,
  OnlineTerminalVO,
  PrivateMessageVO,
  SystemConfigVO,
  UploadImageVO,
  UploadVideoVO,
  UserVO,
} from '@box-im/im-common';
import { http } from './http';

export interface PrivateSend {
  tmpId: string;
  recvId: number;
  content: string;
  type: number;
}
export interface GroupSend {
  tmpId: string;
  groupId: number;
  content: string;
  type: number;
  receipt: boolean;
  atUserIds: number[];
}

function upload<T>(
  path: string,
  file: Blob,
  name: string,
  query?: Record<string, string | number | boolean>,
) {
  const form = new FormData();
  form.append('file', file, name);
  return http.post<T>(path, { form, query });
}

export const api = {
  login: (userName: string, password: string) =>
    http.post<LoginVO>('/login', { body: { terminal: 0, userName, password } }),
  register: (userName: string, password: string, nickName?: string) =>
    http.post<null>('/register', {
      body: { userName, password, confirmPassword: password, nickName: nickName || undefined },
    }),
  modifyPwd: (oldPassword: string, newPassword: string) =>
    http.put<null>('/modifyPwd', { body: { oldPassword, newPassword, confirmPassword: newPassword } }),

  self: (silent = false) => http.get<UserVO>('/user/self', { silent }),
  findUser: (id: number) => http.get<UserVO>(`/user/find/${id}`),
  findByName: (name: string) => http.get<UserVO[]>('/user/findByName', { query: { name } }),
  updateUser: (user: UserVO) => http.put<null>('/user/update', { body: user }),
  online: (ids: number[]) =>
    http.get<OnlineTerminalVO[]>('/user/terminal/online', {
      query: { userIds: ids.join(',') },
      silent: true,
    }),

  friends: () => http.get<FriendVO[]>('/friend/list'),
  addFriend: (friendId: number) => http.post<null>('/friend/add', { query: { friendId } }),
  deleteFriend: (friendId: number) => http.del<null>(`/friend/delete/${friendId}`),
  friendDnd: (friendId: number, isDnd: boolean) =>
    http.put<null>('/friend/dnd', { body: { friendId, isDnd } }),

  groups: () => http.get<GroupVO[]>('/group/list'),
  createGroup: (name: string) =>
    http.post<GroupVO>('/group/create', { query: { groupName: name }, body: { name } }),
  modifyGroup: (group: GroupVO) => http.put<GroupVO>('/group/modify', { body: group }),
  findGroup: (id: number) => http.get<GroupVO>(`/group/find/${id}`),
  members: (id: number) => http.get<GroupMemberVO[]>(`/group/members/${id}`),
  invite: (groupId: number, friendIds: number[]) =>
    http.post<null>('/group/invite', { body: { groupId, friendIds } }),
  removeMembers: (groupId: number, userIds: number[]) =>
    http.del<null>('/group/members/remove', { body: { groupId, userIds } }),
  quitGroup: (id: number) => http.del<null>(`/group/quit/${id}`),
  dissolveGroup: (id: number) => http.del<null>(`/group/delete/${id}`),
  groupDnd: (groupId: number, isDnd: boolean) => http.put<null>('/group/dnd', { body: { groupId, isDnd } }),

  sendPrivate: (m: PrivateSend) =>
    http.post<PrivateMessageVO>('/message/private/send', { body: m, silent: true }),
  sendGroup: (m: GroupSend) => http.post<GroupMessageVO>('/message/group/send', { body: m, silent: true }),
  recallPrivate: (id: number) => http.del<PrivateMessageVO>(`/message/private/recall/${id}`),
  recallGroup: (id: number) => http.del<GroupMessageVO>(`/message/group/recall/${id}`),
  offlinePrivate: (minId: number) =>
    http.get<PrivateMessageVO[]>('/message/private/loadOfflineMessage', { query: { minId } }),
  offlineGroup: (minId: number) =>
    http.get<GroupMessageVO[]>('/message/group/loadOfflineMessage', { query: { minId } }),
  readPrivate: (friendId: number) =>
    http.put<null>('/message/private/readed', { query: { friendId }, silent: true }),
  readGroup: (groupId: number, messageId?: number) =>
    http.put<null>('/message/group/readed', { query: { groupId, messageId }, silent: true }),
  maxReadedId: (friendId: number) =>
    http.get<number>('/message/private/maxReadedId', { query: { friendId }, silent: true }),
  readedUsers: (groupId: number, messageId: number) =>
    http.get<number[]>('/message/group/findReadedUsers', { query: { groupId, messageId } }),
  historyPrivate: (friendId: number, page: number, size: number) =>
    http.get<PrivateMessageVO[]>('/message/private/history', { query: { friendId, page, size } }),
  historyGroup: (groupId: number, page: number, size: number) =>
    http.get<GroupMessageVO[]>('/message/group/history', { query: { groupId, page, size } }),

  uploadImage: (file: Blob, name: string, isPermanent = false) =>
    upload<UploadImageVO>('/image/upload', file, name, { isPermanent, thumbSize: 50 }),
  uploadFile: (file: Blob, name: string) => upload<string>('/file/upload', file, name),
  uploadVideo: (
    file: Blob,
    name: string,
    cover?: Blob | null,
    meta: { duration?: number; width?: number; height?: number } = {},
  ) => {
    const form = new FormData();
    form.append('file', file, name);
    if (cover) form.append('cover', cover, 'cover.jpg');
    const query: Record<string, number | boolean> = { isPermanent: false };
    for (const [k, v] of Object.entries(meta))
      if (typeof v === 'number' && Number.isFinite(v) && v > 0)
        query[k] = k === 'duration' ? Math.round(v * 10) / 10 : Math.round(v);
    return http.post<UploadVideoVO>('/video/upload', { form, query });
  },

  systemConfig: () => http.get<SystemConfigVO>('/system/config', { silent: true }),

  rtc: (action: string, uid: number, query: Record<string, string> = {}, body?: unknown) =>
    http.post<null>(`/webrtc/private/${action}`, { query: { uid, ...query }, body }),
};
