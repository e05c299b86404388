/**
 * WebSocket commands (box-im `IMCmdType`). Every frame in both directions is
 * `{ cmd, data }` as JSON text.
 */
export const Cmd = {
  /** C→S login `{accessToken, devId}`; S→C ack with `data: null`. */
  LOGIN: 0,
  /** C→S ping `{}`; S→C pong with `data: null`. */
  HEART_BEAT: 1,
  /** S→C: another login on the same terminal replaced this connection. */
  FORCE_LOGOUT: 2,
  /** S→C: `PrivateMessageVO`. */
  PRIVATE_MESSAGE: 3,
  /** S→C: `GroupMessageVO`. */
  GROUP_MESSAGE: 4,
  /** S→C: `SystemMessageVO`. */
  SYSTEM_MESSAGE: 5,
} as const;
export type Cmd = (typeof Cmd)[keyof typeof Cmd];

/** Text of the force-logout frame, exactly as box-im sends it. */
export const FORCE_LOGOUT_TEXT = '您已在其他地方登录，将被强制下线';

/** Terminal types (box-im `IMTerminalType`). The terminal is fixed at login, inside the JWT. */
export const Terminal = {
  WEB: 0,
  APP: 1,
  PC: 2,
} as const;
export type Terminal = (typeof Terminal)[keyof typeof Terminal];
/** Every terminal a push looks up by default. */
export const ALL_TERMINALS: readonly Terminal[] = [Terminal.WEB, Terminal.APP, Terminal.PC];
/** Sender terminal used for pushes that no user terminal originated (server notices). */
export const SYSTEM_TERMINAL = -1;

export function isTerminal(value: unknown): value is Terminal {
  return value === 0 || value === 1 || value === 2;
}

/**
 * WebSocket close codes. 3000 is what box-im's clients treat as "intentional, do not
 * reconnect"; any other code makes them reconnect.
 */
export const CloseCode = {
  /** Normal, intentional: logout, replaced by another login, banned. Clients do not reconnect. */
  INTENTIONAL: 3000,
  /** Login frame carried an invalid or expired token. */
  UNAUTHORIZED: 4001,
  /** No frame received within the idle timeout. Clients reconnect. */
  IDLE_TIMEOUT: 4008,
  /** The push node failed to serve the login (e.g. the bus is down). Clients reconnect. */
  SERVER_ERROR: 1011,
  /** The push node is shutting down: reconnect (the load balancer picks another node). */
  SERVER_RESTART: 1012,
  /**
   * The client did not read: its unsent frames passed the node's send-buffer bound. Clients
   * reconnect and catch up with the offline pull.
   */
  SLOW_CONSUMER: 1013,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];
