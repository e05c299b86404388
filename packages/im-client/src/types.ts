import type { IMSendResult, IMUserInfo } from '@box-im/im-common';

/** The subset of a pino logger the SDK uses; a pino `Logger` fits. */
export interface IMClientLogger {
  debug(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** A private push (box-im `IMPrivateMessage`), sent as cmd 3. */
export interface PrivateMessage<T = unknown> {
  /** Who sent it; their other terminals get a copy when `sendToSelf`. */
  sender: IMUserInfo;
  recvId: number;
  /** Terminals of the receiver to reach. @default [0, 1, 2] */
  recvTerminals?: readonly number[];
  /** Also push to the sender's terminals other than `sender.terminal`. @default true */
  sendToSelf?: boolean;
  /** Report delivery results to the private result listeners. @default true */
  sendResult?: boolean;
  /** The frame's `data` (a `PrivateMessageVO` for the web client). */
  data: T;
}

/** A group push (box-im `IMGroupMessage`), sent as cmd 4. */
export interface GroupMessage<T = unknown> {
  sender: IMUserInfo;
  /** Receivers (duplicates are ignored). */
  recvIds: readonly number[];
  /** @default [0, 1, 2] */
  recvTerminals?: readonly number[];
  /** @default true */
  sendToSelf?: boolean;
  /** @default true */
  sendResult?: boolean;
  data: T;
}

/** A system push (box-im `IMSystemMessage`), sent as cmd 5. An empty `recvIds` reaches nobody. */
export interface SystemMessage<T = unknown> {
  recvIds: readonly number[];
  /** @default [0, 1, 2] */
  recvTerminals?: readonly number[];
  /** @default true */
  sendResult?: boolean;
  data: T;
}

/** Receives delivery results, one per (receiver, terminal). */
export type ResultListener<T = unknown> = (results: IMSendResult<T>[]) => void | Promise<void>;
