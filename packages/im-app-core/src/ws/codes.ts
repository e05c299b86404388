/** Close codes as the clients read them. */
import { CloseCode } from '@box-im/im-common';

/** Close codes the clients send themselves. */
export const ClientCloseCode = {
  /** Logout, force logout, ban: what box-im's web client sends; the server sends it too. */
  INTENTIONAL: CloseCode.INTENTIONAL,
  /** box-im's app `exit()`; treated like INTENTIONAL when the server echoes it. */
  APP_EXIT: 3099,
  /** Our own "drop it as the network would" (dead heartbeat, tests); reconnects. */
  DROPPED: 4000,
} as const;

/** A close with this code ends the session: no reconnect. Anything else reconnects with backoff. */
export function isFinalClose(code: number): boolean {
  return code === ClientCloseCode.INTENTIONAL || code === ClientCloseCode.APP_EXIT;
}
