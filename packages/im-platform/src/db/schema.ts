/**
 * Table types of box-im's schema (`db/im-platform.sql`), same table and column names.
 * Booleans are stored as 0/1 integers on every engine, as box-im's tinyint(1) columns are.
 */
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** A datetime column: written as Date, read back as Date (see the SQLite date plugin). */
type DateTime = ColumnType<Date, Date | undefined, Date>;
type NullableDateTime = ColumnType<Date | null, Date | null | undefined, Date | null>;
/** A 0/1 flag. */
type Flag = ColumnType<number, number | undefined, number>;

export interface UserTable {
  id: Generated<number>;
  user_name: string;
  nick_name: string;
  head_image: ColumnType<string, string | undefined, string>;
  head_image_thumb: ColumnType<string, string | undefined, string>;
  password: string;
  sex: ColumnType<number, number | undefined, number>;
  is_banned: Flag;
  reason: ColumnType<string, string | undefined, string>;
  type: ColumnType<number, number | undefined, number>;
  signature: ColumnType<string, string | undefined, string>;
  last_login_time: NullableDateTime;
  created_time: DateTime;
  /** Who may add the user: 0 anyone, 1 by request, 2 nobody (migration 015). */
  add_policy: ColumnType<number, number | undefined, number>;
  /** System administrator (migration 018). */
  is_admin: Flag;
}

export interface FriendTable {
  id: Generated<number>;
  user_id: number;
  friend_id: number;
  friend_nick_name: string;
  friend_head_image: ColumnType<string, string | undefined, string>;
  is_dnd: ColumnType<number | null, number | null | undefined, number | null>;
  deleted: ColumnType<number | null, number | null | undefined, number | null>;
  created_time: DateTime;
}

export interface PrivateMessageTable {
  id: Generated<number>;
  tmp_id: ColumnType<string | null, string | null | undefined, string | null>;
  send_id: number;
  recv_id: number;
  content: ColumnType<string | null, string | null | undefined, string | null>;
  type: number;
  status: number;
  send_time: DateTime;
  /** The message this one replies to (same table), NULL otherwise (migration 012). */
  quote_message_id: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface GroupTable {
  id: Generated<number>;
  name: string;
  owner_id: number;
  head_image: ColumnType<string, string | undefined, string>;
  head_image_thumb: ColumnType<string, string | undefined, string>;
  notice: ColumnType<string, string | undefined, string>;
  is_banned: Flag;
  reason: ColumnType<string, string | undefined, string>;
  dissolve: Flag;
  created_time: DateTime;
  /** Only the owner and admins may send (migration 017). */
  all_muted: Flag;
}

export interface GroupMemberTable {
  id: Generated<number>;
  group_id: number;
  user_id: number;
  user_nick_name: ColumnType<string, string | undefined, string>;
  remark_nick_name: ColumnType<string, string | undefined, string>;
  head_image: ColumnType<string, string | undefined, string>;
  remark_group_name: ColumnType<string, string | undefined, string>;
  is_dnd: ColumnType<number | null, number | null | undefined, number | null>;
  quit: Flag;
  quit_time: NullableDateTime;
  created_time: DateTime;
  /** Highest message id read (migration 003). */
  readed_message_id: ColumnType<number, number | undefined, number>;
  /** Highest group message id when the member (re)joined (migration 003). */
  join_message_id: ColumnType<number, number | undefined, number>;
  /** Last message id visible after leaving; NULL while a member (migration 003). */
  quit_message_id: ColumnType<number | null, number | null | undefined, number | null>;
  /** The group's profile when the member left; NULL while a member (migration 011). */
  quit_group_name: ColumnType<string | null, string | null | undefined, string | null>;
  quit_group_notice: ColumnType<string | null, string | null | undefined, string | null>;
  quit_group_head_image: ColumnType<string | null, string | null | undefined, string | null>;
  quit_group_head_image_thumb: ColumnType<string | null, string | null | undefined, string | null>;
  /** Appointed by the owner (migration 017). */
  is_admin: Flag;
  /** May not send before this time; NULL: not muted (migration 017). */
  mute_end_time: NullableDateTime;
}

/** A friend request (migration 015); `status` 0 pending, 1 accepted, 2 declined. */
export interface FriendRequestTable {
  id: Generated<number>;
  send_id: number;
  recv_id: number;
  message: ColumnType<string, string | undefined, string>;
  status: Flag;
  created_time: DateTime;
  handled_time: NullableDateTime;
}

/** A group invitation waiting for the invitee (migration 016); `status` as friend requests. */
export interface GroupInviteTable {
  id: Generated<number>;
  group_id: number;
  inviter_id: number;
  user_id: number;
  status: Flag;
  created_time: DateTime;
  handled_time: NullableDateTime;
}

export interface GroupMessageTable {
  id: Generated<number>;
  tmp_id: ColumnType<string | null, string | null | undefined, string | null>;
  group_id: number;
  send_id: number;
  send_nick_name: ColumnType<string, string | undefined, string>;
  recv_ids: ColumnType<string, string | undefined, string>;
  content: ColumnType<string | null, string | null | undefined, string | null>;
  at_user_ids: ColumnType<string | null, string | null | undefined, string | null>;
  receipt: Flag;
  receipt_ok: Flag;
  type: number;
  status: Flag;
  send_time: DateTime;
  /** The message this one replies to (same table), NULL otherwise (migration 012). */
  quote_message_id: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface SensitiveWordTable {
  id: Generated<number>;
  content: string;
  enabled: Flag;
  creator: ColumnType<number | null, number | null | undefined, number | null>;
  create_time: DateTime;
}

/** Administrator actions (migration 019). */
export interface AdminAuditTable {
  id: Generated<number>;
  admin_id: number;
  action: string;
  target_type: string;
  target_id: ColumnType<number | null, number | null | undefined, number | null>;
  reason: ColumnType<string, string | undefined, string>;
  detail: ColumnType<string, string | undefined, string>;
  created_time: DateTime;
}

export interface FileInfoTable {
  id: Generated<number>;
  file_name: string;
  file_path: string;
  file_size: number;
  file_type: number;
  compressed_path: ColumnType<string | null, string | null | undefined, string | null>;
  cover_path: ColumnType<string | null, string | null | undefined, string | null>;
  upload_time: DateTime;
  is_permanent: Flag;
  md5: string;
  /** The uploading user; NULL for anonymous uploads and rows written by box-im (migration 006). */
  uploader_id: ColumnType<number | null, number | null | undefined, number | null>;
  /** Hex sha256 of the bytes, the de-duplication key with the size (migration 006). */
  sha256: ColumnType<string | null, string | null | undefined, string | null>;
}

/** An upload made without a token, until something refers to it (migration 006). */
export interface FileAnonymousTable {
  file_id: number;
  ip: string;
  /** Highest private / group message id when it was uploaded. */
  private_message_id: number;
  group_message_id: number;
  /** Deleted at this time unless a message or profile refers to it. */
  expire_time: DateTime;
}

/** A user's pin and draft of one chat (migration 020); `chat_type` 0 private, 1 group. */
export interface ChatPrefTable {
  id: Generated<number>;
  user_id: number;
  chat_type: number;
  chat_id: number;
  pinned: Flag;
  draft: ColumnType<string, string | undefined, string>;
  updated_time: DateTime;
}

/** Every table the platform reads or writes. Later migrations add their tables here. */
export interface Database {
  im_user: UserTable;
  im_friend: FriendTable;
  im_private_message: PrivateMessageTable;
  im_group: GroupTable;
  im_group_member: GroupMemberTable;
  im_group_message: GroupMessageTable;
  im_sensitive_word: SensitiveWordTable;
  im_admin_audit: AdminAuditTable;
  im_file_info: FileInfoTable;
  im_file_anonymous: FileAnonymousTable;
  im_friend_request: FriendRequestTable;
  im_group_invite: GroupInviteTable;
  im_chat_pref: ChatPrefTable;
}

export type UserRow = Selectable<UserTable>;
export type NewUser = Insertable<UserTable>;
export type UserUpdate = Updateable<UserTable>;
export type FriendRow = Selectable<FriendTable>;
export type PrivateMessageRow = Selectable<PrivateMessageTable>;
export type GroupRow = Selectable<GroupTable>;
export type GroupMemberRow = Selectable<GroupMemberTable>;
export type GroupMessageRow = Selectable<GroupMessageTable>;
export type SensitiveWordRow = Selectable<SensitiveWordTable>;
export type FileInfoRow = Selectable<FileInfoTable>;
export type FileAnonymousRow = Selectable<FileAnonymousTable>;
export type FriendRequestRow = Selectable<FriendRequestTable>;
export type GroupInviteRow = Selectable<GroupInviteTable>;
export type ChatPrefRow = Selectable<ChatPrefTable>;
export type AdminAuditRow = Selectable<AdminAuditTable>;
