/**
 * Bus keys only the platform uses, under box-im's names (a box-im platform sharing the Redis
 * sees the same call sessions, busy flags and locks; the anonymous-upload counters are ours). Keys the push tier shares are in
 * `@box-im/im-common` (`RedisKey`).
 */
export const PlatformKey = {
  /** RTC busy flag of a user. */
  userState: (userId: number) => `im:user:state:${userId}`,
  /** Private call session between two users (smaller id first). */
  webrtcPrivateSession: (a: number, b: number) =>
    `im:webrtc:private:session:${Math.min(a, b)}:${Math.max(a, b)}`,
  /** Group call session of a group (box-im's `im:webrtc:group:session`, one key per group). */
  webrtcGroupSession: (groupId: number) => `im:webrtc:group:session:${groupId}`,
  /** Ids of the groups with a call running (a JSON array), so any node's sweep finds every call. */
  webrtcGroupIndex: 'im:webrtc:group:index',
  /** Hourly per-IP counters of uploads made without a token (ANONYMOUS_UPLOADS=on). */
  anonymousUpload: (ip: string, what: 'count' | 'bytes') => `im:upload:anonymous:${what}:${ip}`,
  /** Typing-indicator throttle of a sender towards a receiver (a key that lives one interval). */
  typing: (sendId: number, recvId: number) => `im:typing:${sendId}:${recvId}`,
  /** Notice channel: the sensitive words changed, every platform process reloads them. */
  sensitiveWordsChanged: 'im:notice:sensitive-words',
  /** Notice channel: `{userId}` whose ban, password or existence changed (see `AuthUserCache`). */
  userAuthChanged: 'im:notice:user-auth',
  /** Notice channel: `{userId}:{friendId}` whose friendship changed (see `FriendshipCache`). */
  friendshipChanged: 'im:notice:friendship',
  /** A lock (see `BusLock`). */
  lock: (name: string) => `im:lock:${name}`,
} as const;
