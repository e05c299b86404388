import WebSocket from 'ws';
import { Cmd, CloseCode, FORCE_LOGOUT_TEXT } from '@box-im/im-common';
import { encodeFrame } from './frames';

/** The logged-in identity bound to a session. */
export interface SessionUser {
  userId: number;
  terminal: number;
  /** Device id sent at login; '' when the client sent none. */
  devId: string;
  /** Issue time of the login token (epoch ms), checked against revocations; undefined for box-im's tokens. */
  issuedAtMs: number | undefined;
}

/** How long a kicked socket keeps its connection after the force-logout frame, in ms. */
export const FORCE_LOGOUT_GRACE_MS = 500;

/**
 * One client connection: its socket, its identity once logged in, and its timers.
 * - idle timer: restarted by every inbound frame; fires `onIdle` after `idleTimeoutMs`;
 * - login deadline: a socket that has not logged in after `idleTimeoutMs` is closed even
 *   if it keeps sending heartbeats.
 */
export class Session {
  /** Set by a successful login; cleared when the session is replaced or released. */
  user: SessionUser | null = null;
  /** Epoch ms of the last write of this session's route (claim or renewal). */
  lastRouteWriteAt = 0;
  /** Settles once the route claim of the latest login is done (whatever its outcome). */
  routeClaim: Promise<unknown> = Promise.resolve();
  /** Resolves once the socket is closed. */
  readonly closed: Promise<void>;
  private readonly idleTimer: NodeJS.Timeout;
  private loginTimer: NodeJS.Timeout | undefined;
  private kickTimer: NodeJS.Timeout | undefined;
  /** While set, no frame is written (a ban notice was delivered and the node is checking it). */
  private suspended = false;
  /** Set once the send buffer overflowed: the socket is being cut. */
  private overflowed = false;
  /** Bytes of unsent frames allowed (`ws.bufferedAmount`); Infinity = unbounded. */
  sendBufferBytes = Infinity;
  /** Called once when a frame would take the unsent bytes past `sendBufferBytes`. */
  onOverflow: (session: Session) => void = () => undefined;

  constructor(
    /** Sequence number of the connection on this node, for logs. */
    readonly id: number,
    readonly ws: WebSocket,
    idleTimeoutMs: number,
    onIdle: (session: Session) => void,
  ) {
    this.idleTimer = setTimeout(() => onIdle(this), idleTimeoutMs);
    this.loginTimer = setTimeout(() => {
      if (!this.user) onIdle(this);
    }, idleTimeoutMs);
    this.closed = new Promise((resolve) => ws.once('close', () => resolve()));
  }

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  /** Restart the idle timer (any inbound frame counts as activity). */
  touch(): void {
    this.idleTimer.refresh();
  }

  /** Called once the login succeeded: the login deadline no longer applies. */
  markLoggedIn(user: SessionUser): void {
    this.user = user;
    clearTimeout(this.loginTimer);
    this.loginTimer = undefined;
  }

  /** Stop writing frames until `resume()`; a suspended session counts as unreachable. */
  suspend(): void {
    this.suspended = true;
  }

  resume(): void {
    this.suspended = false;
  }

  /**
   * Write a pre-encoded frame; false when the socket is not open or is suspended, or when the
   * frame would take the unsent bytes past the bound (a client that does not read): then the
   * frame is dropped and `onOverflow` cuts the socket once.
   */
  sendRaw(frame: Buffer): boolean {
    if (!this.isOpen || this.suspended || this.overflowed) return false;
    if (this.ws.bufferedAmount + frame.length > this.sendBufferBytes) {
      this.overflowed = true;
      this.onOverflow(this);
      return false;
    }
    this.ws.send(frame, { binary: false });
    return true;
  }

  send(cmd: number, data: unknown): boolean {
    return this.sendRaw(encodeFrame(cmd, data));
  }

  close(code: number, reason = ''): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) {
      this.ws.close(code, reason);
    }
  }

  /** Tell the client another login replaced it, then close it once the frame is out. */
  forceLogout(): void {
    this.send(Cmd.FORCE_LOGOUT, FORCE_LOGOUT_TEXT);
    this.kickTimer = setTimeout(
      () => this.close(CloseCode.INTENTIONAL, 'logged in elsewhere'),
      FORCE_LOGOUT_GRACE_MS,
    );
  }

  /** Stop every timer; called when the socket is closed. */
  dispose(): void {
    clearTimeout(this.idleTimer);
    clearTimeout(this.loginTimer);
    clearTimeout(this.kickTimer);
  }
}
