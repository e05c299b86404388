/**
 * Redis key names (box-im `RedisKey` / `IMRedisKey`) of the push protocol between processes:
 * routes, push queues, result queues and the admin console's queues. A TypeScript node can
 * sit in the same Redis as box-im's Java components. Keys only one side uses live on that
 * side (the platform's call sessions and locks: `im-platform/src/bus-keys.ts`).
 */
export const RedisKey = {
  /** INCR'd by each push node at start-up to get its server id (first id is 1). */
  MAX_SERVER_ID: 'im:max_server_id',
  /** `{userId}:{terminal}` → server id of the push node holding that connection (TTL). */
  userServerId: (userId: number, terminal: number) => `im:user:server_id:${userId}:${terminal}`,
  /**
   * Liveness of a push node: written at start and renewed every third of its time to live;
   * deleted at shutdown. Senders queue nothing for a node whose key expired (it died) and
   * clean its routes. Not a box-im key.
   */
  serverAlive: (serverId: number) => `im:server:alive:${serverId}`,
  /** Per push node queues of jobs (`IMRecvInfo`). */
  privateMessageQueue: (serverId: number) => `im:message:private:${serverId}`,
  groupMessageQueue: (serverId: number) => `im:message:group:${serverId}`,
  systemMessageQueue: (serverId: number) => `im:message:system:${serverId}`,
  /** Per push node queue of force-logout orders (`IMForceLogoutInfo`). */
  forceLogoutQueue: (serverId: number) => `im:user:force_logout:${serverId}`,
  /** Per service queues of delivery results. */
  privateResultQueue: (appName: string) => `im:result:private:${appName}`,
  groupResultQueue: (appName: string) => `im:result:group:${appName}`,
  systemResultQueue: (appName: string) => `im:result:system:${appName}`,
  /**
   * Epoch ms before which every token of the user is revoked (password change, ban,
   * deletion): written by the platform, read by push nodes at login. TTL: the longest token
   * lifetime. Not a box-im key.
   */
  userTokensValidAfter: (userId: number) => `im:user:token_valid_after:${userId}`,
  /** Admin → platform queues. */
  USER_BANNED_QUEUE: 'im:queue:user:banned',
  GROUP_BANNED_QUEUE: 'im:queue:group:banned',
  GROUP_UNBAN_QUEUE: 'im:queue:group:unban',
} as const;
