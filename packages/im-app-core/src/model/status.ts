/**
 * Message statuses as the clients keep them: the stored wire statuses of
 * `@box-im/im-common` plus two that exist only on the device sending a message.
 */
import { MessageStatus } from '@box-im/im-common';

export const ClientStatus = {
  ...MessageStatus,
  /** Optimistic: shown at once, the send call is in flight. */
  SENDING: -1,
  /** The send call failed (network or refused); the user may retry. */
  FAILED: -2,
} as const;
export type ClientStatus = (typeof ClientStatus)[keyof typeof ClientStatus];

/** True for the statuses no server ever sends. */
export function isLocalStatus(status: number): boolean {
  return status === ClientStatus.SENDING || status === ClientStatus.FAILED;
}
