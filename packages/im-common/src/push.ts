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
