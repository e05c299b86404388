/** Message types (box-im `MessageType`); the ranges carry meaning, see each group. */
export const MessageType = {
  // 0-9: real, stored messages a user sends
  TEXT: 0,
  IMAGE: 1,
  FILE: 2,
  AUDIO: 3,
  VIDEO: 4,
  // 10-19: status notices
  RECALL: 10,
  READED: 11,
  RECEIPT: 12,
  // 20-29: tips
  TIP_TIME: 20,
  TIP_TEXT: 21,
  // 30-39: UI
  LOADING: 30,
  // 40-49: actions (call records)
  ACT_RT_VOICE: 40,
  ACT_RT_VIDEO: 41,
  // 50-59: admin operations
  USER_BANNED: 50,
  GROUP_BANNED: 51,
  GROUP_UNBAN: 52,
  // 60-69: box-im-ts extensions that box-im's clients skip (they show types 0-9, 20-29, 40-49)
  /** Merged forward: content is a `ChatRecordContent` (JSON). */
  CHAT_RECORD: 60,
  /** The sender is typing in the private chat (push only, never stored; content empty). */
  TYPING: 61,
  /** My pin or draft of a chat changed on another terminal (push only; content: ChatPrefVO JSON). */
  CHAT_PREF: 62,
  // 80-89: friend changes
  FRIEND_NEW: 80,
  FRIEND_DEL: 81,
  FRIEND_DND: 82,
  /** A friend request was made or settled (push only; content: FriendRequestVO JSON). */
  FRIEND_REQUEST: 83,
  // 90-99: group changes
  GROUP_NEW: 90,
  GROUP_DEL: 91,
  GROUP_DND: 92,
  /** A group invitation waits for the receiver (push only; content: GroupInviteVO JSON). */
  GROUP_INVITE: 93,
  // 100-199: private WebRTC signalling
  RTC_CALL_VOICE: 100,
  RTC_CALL_VIDEO: 101,
  RTC_ACCEPT: 102,
  RTC_REJECT: 103,
  RTC_CANCEL: 104,
  RTC_FAILED: 105,
  RTC_HANDUP: 106,
  RTC_CANDIDATE: 107,
  // 200-299: group WebRTC signalling (cmd 4 frames, never stored)
  RTC_GROUP_SETUP: 200,
  RTC_GROUP_ACCEPT: 201,
  RTC_GROUP_REJECT: 202,
  RTC_GROUP_FAILED: 203,
  RTC_GROUP_CANCEL: 204,
  RTC_GROUP_QUIT: 205,
  RTC_GROUP_INVITE: 206,
  RTC_GROUP_JOIN: 207,
  RTC_GROUP_OFFER: 208,
  RTC_GROUP_ANSWER: 209,
  RTC_GROUP_CANDIDATE: 210,
  RTC_GROUP_DEVICE: 211,
} as const;
export type MessageType = (typeof MessageType)[keyof typeof MessageType];

/** The types a user may send through the message endpoints; everything else is server-made. */
export const USER_MESSAGE_TYPES: readonly number[] = [
  MessageType.TEXT,
  MessageType.IMAGE,
  MessageType.FILE,
  MessageType.AUDIO,
  MessageType.VIDEO,
];

export function isUserMessageType(type: number): boolean {
  return USER_MESSAGE_TYPES.includes(type);
}

/**
 * Stored message status (box-im `MessageStatus`), as the wire carries it. The clients' own
 * SENDING / FAILED live in `@box-im/im-app-core` (`ClientStatus`).
 */
export const MessageStatus = {
  PENDING: 0,
  DELIVERED: 1,
  RECALL: 2,
  READED: 3,
} as const;
export type MessageStatus = (typeof MessageStatus)[keyof typeof MessageStatus];

/** `im_file_info.file_type`. */
export const FileType = { FILE: 0, IMAGE: 1, VIDEO: 2 } as const;
export type FileType = (typeof FileType)[keyof typeof FileType];

/** Sender id of server-made notices (admin tips, system messages). */
export const SYS_USER_ID = 0;

/** Value of `atUserIds` entries meaning "everyone in the group" (a client convention). */
export const AT_ALL_USER_ID = -1;

/** Group call signalling types (200–211) as the web client routes them (`isRtcGroup`). */
export function isRtcGroupType(type: number): boolean {
  return type >= 200 && type < 300;
}
