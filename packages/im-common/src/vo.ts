/**
 * The view objects box-im's clients read, as TypeBox schemas (plain JSON Schema at run
 * time). The platform uses them for response serialisation and OpenAPI; clients and the
 * SDK import the static types. Dates are epoch milliseconds; ids are JSON numbers.
 */
import { Type, type Static } from 'typebox';

const Id = Type.Integer({ description: 'database id' });
const Millis = Type.Integer({ description: 'epoch milliseconds' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const LoginVO = Type.Object({
  accessToken: Type.String(),
  accessTokenExpiresIn: Type.Integer(),
  refreshToken: Type.String(),
  refreshTokenExpiresIn: Type.Integer(),
});
export type LoginVO = Static<typeof LoginVO>;

export const UserVO = Type.Object({
  id: Id,
  userName: Type.String(),
  nickName: Type.String(),
  sex: Type.Integer({ description: '0 male, 1 female' }),
  type: Type.Integer({ description: '1 normal, 2 review account' }),
  signature: Type.String(),
  headImage: Type.String(),
  headImageThumb: Type.String(),
  online: Nullable(Type.Boolean()),
  isBanned: Type.Boolean(),
  reason: Type.String(),
  /** Who may add the user (issue 15; box-im clients ignore it): 0 anyone, 1 by request, 2 nobody. */
  addPolicy: Type.Optional(Type.Integer({ minimum: 0, maximum: 2 })),
});
export type UserVO = Static<typeof UserVO>;

/** Values of `UserVO.addPolicy`. */
export const AddPolicy = { ANYONE: 0, REQUEST: 1, NOBODY: 2 } as const;

/** A friend request (issue 15); `status` 0 pending, 1 accepted, 2 declined. */
export const FriendRequestVO = Type.Object({
  id: Id,
  sendId: Id,
  sendNickName: Type.String(),
  sendHeadImage: Type.String(),
  recvId: Id,
  recvNickName: Type.String(),
  recvHeadImage: Type.String(),
  message: Type.String(),
  status: Type.Integer(),
  createdTime: Type.Integer({ description: 'ms since the epoch' }),
});
export type FriendRequestVO = Static<typeof FriendRequestVO>;

/** A user's pin and draft of one chat, synced between their terminals (issue 15). */
export const ChatPrefVO = Type.Object({
  chatType: Type.Union([Type.Literal('PRIVATE'), Type.Literal('GROUP')]),
  /** The peer's user id (PRIVATE) or the group id (GROUP). */
  chatId: Id,
  pinned: Type.Boolean(),
  draft: Type.String(),
  updatedTime: Millis,
});
export type ChatPrefVO = Static<typeof ChatPrefVO>;

/** A group invitation waiting for the invitee's consent (issue 15). */
export const GroupInviteVO = Type.Object({
  id: Id,
  groupId: Id,
  groupName: Type.String(),
  groupHeadImage: Type.String(),
  inviterId: Id,
  inviterNickName: Type.String(),
  status: Type.Integer(),
  createdTime: Type.Integer({ description: 'ms since the epoch' }),
});
export type GroupInviteVO = Static<typeof GroupInviteVO>;

export const OnlineTerminalVO = Type.Object({
  userId: Id,
  terminals: Type.Array(Type.Integer()),
});
export type OnlineTerminalVO = Static<typeof OnlineTerminalVO>;

export const FriendVO = Type.Object({
  id: Id,
  nickName: Type.String(),
  headImage: Type.String(),
  isDnd: Nullable(Type.Boolean()),
  deleted: Type.Boolean(),
});
export type FriendVO = Static<typeof FriendVO>;

/**
 * A friend as `/friend/list` and `/friend/find` answer it: with its online flags (any
 * terminal, web, app), so box-im's Vue 2 client, which sets them later, finds the keys
 * already there (it cannot react to keys added afterwards).
 */
export const FriendOnlineVO = Type.Object({
  ...FriendVO.properties,
  online: Type.Boolean(),
  onlineWeb: Type.Boolean(),
  onlineApp: Type.Boolean(),
});
export type FriendOnlineVO = Static<typeof FriendOnlineVO>;

export const GroupVO = Type.Object({
  id: Id,
  name: Type.String(),
  ownerId: Id,
  headImage: Type.String(),
  headImageThumb: Type.String(),
  notice: Type.String(),
  remarkNickName: Type.String(),
  showNickName: Type.String(),
  showGroupName: Type.String(),
  remarkGroupName: Type.String(),
  dissolve: Type.Boolean(),
  quit: Type.Boolean(),
  isBanned: Type.Boolean(),
  reason: Type.String(),
  isDnd: Nullable(Type.Boolean()),
  /** Issue 15 (box-im clients ignore them): the caller is an admin, is muted until (ms), all are muted. */
  isAdmin: Type.Optional(Type.Boolean()),
  muteUntil: Type.Optional(Nullable(Type.Integer())),
  allMuted: Type.Optional(Type.Boolean()),
});
export type GroupVO = Static<typeof GroupVO>;

export const GroupMemberVO = Type.Object({
  userId: Id,
  showNickName: Type.String(),
  remarkNickName: Type.String(),
  headImage: Type.String(),
  quit: Type.Boolean(),
  online: Type.Boolean(),
  showGroupName: Type.String(),
  remarkGroupName: Type.String(),
  /** Issue 15 (box-im clients ignore them): an admin of the group; muted until (ms), else null. */
  isAdmin: Type.Optional(Type.Boolean()),
  muteUntil: Type.Optional(Nullable(Type.Integer())),
});
export type GroupMemberVO = Static<typeof GroupMemberVO>;

/**
 * The message a reply quotes, as box-im's web store holds it (`message.quoteMessage`): read
 * from the original when the reply is read, so `status` is RECALL (and `content` empty) once
 * the original was recalled. Clients that do not know it ignore it.
 */
export const QuoteMessageVO = Type.Object({
  id: Id,
  sendId: Id,
  sendNickName: Type.String(),
  type: Type.Integer(),
  content: Type.String(),
  status: Type.Integer(),
});
export type QuoteMessageVO = Static<typeof QuoteMessageVO>;

export const PrivateMessageVO = Type.Object({
  id: Id,
  tmpId: Type.Optional(Nullable(Type.String())),
  sendId: Id,
  recvId: Id,
  content: Type.String(),
  type: Type.Integer(),
  status: Type.Integer(),
  sendTime: Millis,
  /** The quoted message of a reply (absent otherwise). */
  quoteMessage: Type.Optional(QuoteMessageVO),
});
export type PrivateMessageVO = Static<typeof PrivateMessageVO>;

export const GroupMessageVO = Type.Object({
  id: Id,
  tmpId: Type.Optional(Nullable(Type.String())),
  groupId: Id,
  sendId: Id,
  sendNickName: Type.String(),
  content: Type.String(),
  type: Type.Integer(),
  receipt: Type.Boolean(),
  receiptOk: Type.Boolean(),
  readedCount: Type.Integer(),
  atUserIds: Type.Optional(Nullable(Type.Array(Type.Integer()))),
  status: Type.Integer(),
  sendTime: Millis,
  /** The quoted message of a reply (absent otherwise). */
  quoteMessage: Type.Optional(QuoteMessageVO),
});
export type GroupMessageVO = Static<typeof GroupMessageVO>;

export const SystemMessageVO = Type.Object({
  id: Type.Optional(Id),
  content: Type.String(),
  type: Type.Integer(),
  sendTime: Millis,
});
export type SystemMessageVO = Static<typeof SystemMessageVO>;

export const UploadImageVO = Type.Object({
  originUrl: Type.String(),
  thumbUrl: Type.String(),
  width: Type.Integer(),
  height: Type.Integer(),
});
export type UploadImageVO = Static<typeof UploadImageVO>;

export const UploadVideoVO = Type.Object({
  videoUrl: Type.String(),
  coverUrl: Nullable(Type.String()),
  duration: Type.Optional(Nullable(Type.Number())),
  width: Type.Optional(Nullable(Type.Integer())),
  height: Type.Optional(Nullable(Type.Integer())),
});
export type UploadVideoVO = Static<typeof UploadVideoVO>;

export const IceServer = Type.Object({
  urls: Type.String(),
  username: Nullable(Type.String()),
  credential: Nullable(Type.String()),
});
export const SystemConfigVO = Type.Object({
  webrtc: Type.Object({
    maxChannel: Type.Integer(),
    iceServers: Type.Array(IceServer),
  }),
  /** Issue 15: friends are added by request (FRIEND_REQUEST=on); box-im clients ignore it. */
  friendRequest: Type.Optional(Type.Boolean()),
});
export type SystemConfigVO = Static<typeof SystemConfigVO>;
