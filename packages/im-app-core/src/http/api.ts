/**
 * The box-im endpoints both clients call, typed: paths, methods, where each parameter goes
 * (query, path or JSON body) and what comes back. `F` is the host's file type for uploads
 * (Blob in the browser, a temp file path in uni-app).
 */
import type {
  ChatPrefVO,
  FriendVO,
  GroupMemberVO,
  GroupMessageVO,
  GroupVO,
  LoginVO,
  OnlineTerminalVO,
  PrivateMessageVO,
  SystemConfigVO,
  Terminal,
  UploadImageVO,
  UploadVideoVO,
  UserVO,
  WebrtcGroupInfoVO,
} from '@box-im/im-common';
import type { UploadPart } from '../platform';
import type { HttpClient } from './client';
import { socialApi } from './social-api';

/** `PUT /chat/pref`: a pin or draft change of one of my chats (absent fields stay). */
export interface ChatPrefInput {
  chatType: 'PRIVATE' | 'GROUP';
  chatId: number;
  pinned?: boolean;
  draft?: string;
}

export interface PrivateSend {
  tmpId: string;
  recvId: number;
  content: string;
  type: number;
  /** Reply: the quoted message of this conversation. */
  quoteMessageId?: number;
}

export interface GroupSend {
  tmpId: string;
  groupId: number;
  content: string;
  type: number;
  receipt: boolean;
  atUserIds: number[];
  /** Reply: the quoted message of this group. */
  quoteMessageId?: number;
}

/** Forward messages of one conversation to chats (see docs/messaging.md). */
export interface ForwardRequest {
  sourceType: 'PRIVATE' | 'GROUP';
  messageIds: number[];
  merged: boolean;
  targets: { type: 'PRIVATE' | 'GROUP'; targetId: number }[];
}

/** Message search (see docs/messaging.md): keyword plus optional filters. */
export interface SearchQuery {
  keyword: string;
  page?: number;
  size?: number;
  chatType?: 'PRIVATE' | 'GROUP';
  chatId?: number;
  senderId?: number;
  from?: number;
  to?: number;
}

export interface RegisterForm {
  userName: string;
  password: string;
  nickName?: string;
}

/** Create a group: the name is required, the rest optional (uni-app's form sends them all). */
export type GroupCreate = Pick<GroupVO, 'name'> & Partial<Omit<GroupVO, 'id' | 'name'>>;

export interface ImageUploadOptions {
  /** Avatars are permanent; chat images may be cleaned up with their messages. @default false */
  isPermanent?: boolean;
  /** Thumbnail size in KB. @default 50 */
  thumbSize?: number;
}

export interface VideoMeta {
  /** Seconds. */
  duration?: number;
  width?: number;
  height?: number;
}

export interface ApiOptions {
  /** Sent with `/login`: the web client is `Terminal.WEB`, the app `Terminal.APP`. */
  terminal: Terminal;
}

export type ImApi<F = unknown> = ReturnType<typeof createApi<F>>;

export function createApi<F = unknown>(http: HttpClient, options: ApiOptions) {
  const file = (data: F, fileName: string, field = 'file'): UploadPart => ({ field, fileName, data });
  const videoQuery = (meta: VideoMeta) => {
    const query: Record<string, number | boolean> = { isPermanent: false };
    for (const key of ['duration', 'width', 'height'] as const) {
      const v = meta[key];
      if (typeof v === 'number' && Number.isFinite(v) && v > 0)
        query[key] = key === 'duration' ? Math.round(v * 10) / 10 : Math.round(v);
    }
    return query;
  };

  return {
    ...socialApi(http),
    // Accounts
    login: (userName: string, password: string) =>
      http.post<LoginVO>('/login', { body: { terminal: options.terminal, userName, password } }),
    register: (form: RegisterForm) =>
      http.post<null>('/register', {
        body: {
          userName: form.userName,
          password: form.password,
          confirmPassword: form.password,
          nickName: form.nickName || undefined,
        },
      }),
    modifyPwd: (oldPassword: string, newPassword: string) =>
      http.put<null>('/modifyPwd', { body: { oldPassword, newPassword, confirmPassword: newPassword } }),

    // Users
    self: (silent = false) => http.get<UserVO>('/user/self', { silent }),
    findUser: (id: number) => http.get<UserVO>(`/user/find/${id}`),
    findByName: (name: string) => http.get<UserVO[]>('/user/findByName', { query: { name } }),
    updateUser: (user: UserVO) => http.put<null>('/user/update', { body: user }),
    online: (ids: number[]) =>
      http.get<OnlineTerminalVO[]>('/user/terminal/online', {
        query: { userIds: ids.join(',') },
        silent: true,
      }),

    // Friends
    friends: () => http.get<FriendVO[]>('/friend/list'),
    addFriend: (friendId: number) => http.post<null>('/friend/add', { query: { friendId } }),
    deleteFriend: (friendId: number) => http.del<null>(`/friend/delete/${friendId}`),
    friendDnd: (friendId: number, isDnd: boolean) =>
      http.put<null>('/friend/dnd', { body: { friendId, isDnd } }),

    // Groups
    groups: () => http.get<GroupVO[]>('/group/list'),
    createGroup: (group: GroupCreate) =>
      http.post<GroupVO>('/group/create', { query: { groupName: group.name }, body: group }),
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

    // Messages (send errors are shown on the message itself, hence silent)
    sendPrivate: (m: PrivateSend) =>
      http.post<PrivateMessageVO>('/message/private/send', { body: m, silent: true }),
    sendGroup: (m: GroupSend) => http.post<GroupMessageVO>('/message/group/send', { body: m, silent: true }),
    forward: (body: ForwardRequest) =>
      http.post<{ privateMessages: PrivateMessageVO[]; groupMessages: GroupMessageVO[] }>(
        '/message/forward',
        {
          body,
        },
      ),
    searchMessages: (query: SearchQuery) =>
      http.get<(PrivateMessageVO | GroupMessageVO)[]>('/message/search', { query: { ...query } }),
    recallPrivate: (id: number) => http.del<PrivateMessageVO>(`/message/private/recall/${id}`),
    recallGroup: (id: number) => http.del<GroupMessageVO>(`/message/group/recall/${id}`),
    offlinePrivate: (minId: number) =>
      http.get<PrivateMessageVO[]>('/message/private/loadOfflineMessage', { query: { minId } }),
    offlineGroup: (minId: number) =>
      http.get<GroupMessageVO[]>('/message/group/loadOfflineMessage', { query: { minId } }),
    chatPrefs: () => http.get<ChatPrefVO[]>('/chat/prefs', { silent: true }),
    putChatPref: (pref: ChatPrefInput) => http.put<ChatPrefVO>('/chat/pref', { body: pref, silent: true }),
    typing: (recvId: number) =>
      http.post<null>('/message/private/typing', { query: { recvId }, silent: true }),
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

    // Uploads (all with the access token, unlike box-im's app)
    uploadImage: (data: F, fileName: string, opts: ImageUploadOptions = {}) =>
      http.post<UploadImageVO>('/image/upload', {
        files: [file(data, fileName)],
        query: { isPermanent: opts.isPermanent ?? false, thumbSize: opts.thumbSize ?? 50 },
      }),
    uploadFile: (data: F, fileName: string) =>
      http.post<string>('/file/upload', { files: [file(data, fileName)] }),
    uploadVideo: (data: F, fileName: string, cover?: F | null, meta: VideoMeta = {}) =>
      http.post<UploadVideoVO>('/video/upload', {
        files: cover ? [file(data, fileName), file(cover, 'cover.jpg', 'cover')] : [file(data, fileName)],
        query: videoQuery(meta),
      }),

    systemConfig: () => http.get<SystemConfigVO>('/system/config', { silent: true }),

    /** Private call signalling: `action` is call/accept/reject/cancel/failed/handup/candidate. */
    rtc: (action: string, uid: number, query: Record<string, string> = {}, body?: unknown) =>
      http.post<null>(`/webrtc/private/${action}`, { query: { uid, ...query }, body }),
    /**
     * Group call signalling: accept/reject/join/quit/cancel/heartbeat take only the group;
     * setup/invite/offer/answer/candidate/device/failed a JSON body with it.
     */
    rtcGroup: (action: string, groupId: number, body?: Record<string, unknown>) =>
      body === undefined
        ? http.post<null>(`/webrtc/group/${action}`, { query: { groupId } })
        : http.post<null>(`/webrtc/group/${action}`, { body: { groupId, ...body } }),
    rtcGroupInfo: (groupId: number) =>
      http.get<WebrtcGroupInfoVO>('/webrtc/group/info', { query: { groupId }, silent: true }),
  };
}
