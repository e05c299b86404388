/**
 * Shapes that travel on the bus between im-client (producer) and im-server (consumer),
 * matching box-im's `IMRecvInfo`, `IMSendResult`, `IMBatchSendResult`, `IMForceLogoutInfo`.
 */
export interface IMUserInfo {
  id: number;
  terminal: number;
}

/** A push job for one push node: deliver `data` as frame `cmd` to each receiver. */
export interface IMRecvInfo<T = unknown> {
  cmd: number;
  sender?: IMUserInfo;
  receivers: IMUserInfo[];
  /** Whether the node should report delivery results back to `serviceName`. */
  sendResult: boolean;
  serviceName?: string;
  data: T;
}

/** Delivery outcome codes (box-im `IMSendCode`). */
export const SendCode = {
  SUCCESS: 0,
  NOT_ONLINE: 1,
  NOT_FIND_CHANNEL: 2,
  UNKNOWN_ERROR: 9999,
} as const;
export type SendCode = (typeof SendCode)[keyof typeof SendCode];

export interface IMSendResult<T = unknown> {
  sender?: IMUserInfo;
  receiver: IMUserInfo;
  code: SendCode;
  data: T;
}

export interface IMBatchSendResult<T = unknown> {
  sender?: IMUserInfo;
  receivers: IMUserInfo[];
  code: SendCode;
  data: T;
}

export interface IMForceLogoutInfo {
  userId: number;
  terminal: number;
  devId?: string;
}

/** The three kinds of push, each with its own queues and result queue. */
export type PushKind = 'private' | 'group' | 'system';

/**
 * Our push nodes' compact form of a push job (beside box-im's `IMRecvInfo`, which they still
 * accept): `recvPairs` holds the receivers as flat (id, terminal) pairs, `[id0, t0, id1, t1, …]`,
 * instead of `receivers`' objects — a third of the bytes and no object per receiver on either
 * side. Queued only for nodes whose liveness value advertises `PushNodeCapability.COMPACT_JOBS`.
 */
export interface IMCompactRecvInfo<T = unknown> {
  cmd: number;
  sender?: IMUserInfo;
  recvPairs: number[];
  sendResult: boolean;
  serviceName?: string;
  data: T;
}

/**
 * What a push node accepts beyond box-im's protocol, advertised in the value of its liveness
 * key (`im:server:alive:{id}` = `"<epoch ms> <capability> …"`). box-im's Java nodes write no
 * such key, so they are only ever sent box-im's format.
 */
export const PushNodeCapability = {
  /** Takes `IMCompactRecvInfo` jobs in its message queues. */
  COMPACT_JOBS: 'compact-jobs',
} as const;

/** The liveness key value of a node with `capabilities`: `"<epoch ms> <capability> …"`. */
export function aliveValue(nowMs: number, capabilities: readonly string[]): string {
  return [String(nowMs), ...capabilities].join(' ');
}

/** Whether a liveness key value advertises `capability` (false for null or a bare timestamp). */
export function advertises(alive: string | null, capability: string): boolean {
  return alive !== null && alive.split(' ').includes(capability, 1);
}
