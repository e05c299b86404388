/** Business limits shared by server and clients (box-im `Constant` / `IMConstant`). */
export const Limits = {
  /** Max characters of a message's content. */
  MESSAGE_CONTENT_MAX: 1024,
  /** Seconds after sending during which the sender may recall a message. */
  RECALL_WINDOW_SECONDS: 300,
  /** Days of history an offline pull reaches back. */
  OFFLINE_MESSAGE_DAYS: 30,
  /** Max members of a group. */
  GROUP_MEMBERS_MAX: 3000,
  /** Max users per invite or remove call. */
  GROUP_INVITE_MAX: 50,
  /** Max @ targets per group message. */
  AT_USERS_MAX: 20,
  /** Max upload size in bytes for images and files (configurable server-side). */
  UPLOAD_MAX_BYTES: 20 * 1024 * 1024,
  /** Max length of an uploaded file's original name. */
  FILE_NAME_MAX: 128,
  /** Seconds a routing key lives without a heartbeat refresh. */
  ONLINE_TTL_SECONDS: 600,
  /** Max page size of history queries. */
  HISTORY_PAGE_MAX: 100,
  /** Typing signals: at most one per sender and receiver in this many ms (server and clients). */
  TYPING_INTERVAL_MS: 3000,
  /** How long a client shows "typing…" after the last signal. */
  TYPING_SHOW_MS: 5000,
} as const;
