import WebSocket from 'ws';
import { Cmd, CloseCode, FORCE_LOGOUT_TEXT } from '@box-im/im-common';
import { encodeFrame, framePayload } from './frames';
import type { WriteBatch } from './write-batch';
import { rawSocket } from './ws-internals';

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

/** What every session of a node shares (one object per node, not per socket). */
export interface SessionHost {
  /** Bytes of unsent frames allowed (`ws.bufferedAmount`); Infinity = unbounded. */
  readonly sendBufferBytes: number;
  /** Called once when a frame would take the unsent bytes past `sendBufferBytes`. */
  onOverflow(session: Session): void;
}

const SETTLED: Promise<unknown> = Promise.resolve();

/**
 * One client connection: its socket, its identity once logged in, and its deadlines. It holds
 * no timer and no closure of its own (memory per idle socket): `IdleSweep` checks
 * - the idle deadline: `lastActivity` is set by every inbound frame (`touch()`);
 * - the login deadline: a socket that has not logged in after the idle timeout is closed
 *   even if it keeps sending heartbeats.
 */
export class Session {
  /** Set by a successful login; cleared when the session is replaced or released. */
  user: SessionUser | null = null;
  /** Epoch ms of the last write of this session's route (claim or renewal). */
  lastRouteWriteAt = 0;
  /** Settles once the route claim of the latest login is done (whatever its outcome). */
  routeClaim: Promise<unknown> = SETTLED;

  /** The claim `pending` settled: forget it unless a later login's claim replaced it. */
  claimSettled(pending: Promise<unknown>): void {
    if (this.routeClaim === pending) this.routeClaim = SETTLED;
  }
  /** Epoch ms of the connection. */
  readonly openedAt: number;
  /** Epoch ms of the last inbound frame (or of the connection). */
  lastActivity: number;
  /** Whether a login succeeded once: the login deadline no longer applies. */
  loggedInOnce = false;
  private kickTimer: NodeJS.Timeout | undefined;
  /** While set, no frame is written (a ban notice was delivered and the node is checking it). */
  private suspended = false;
  /** Set once the send buffer overflowed: the socket is being cut. */
  private overflowed = false;

  constructor(
    /** Sequence number of the connection on this node, for logs. */
    readonly id: number,
    readonly ws: WebSocket,
    private readonly host: SessionHost,
    /** Epoch ms now. */
    now: number,
  ) {
    this.openedAt = now;
    this.lastActivity = now;
  }

  /** Resolves once the socket is closed (made on demand: only a shutdown waits for it). */
  get closed(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => this.ws.once('close', () => resolve()));
  }

  /** Bytes of unsent frames allowed (the node's bound). */
  get sendBufferBytes(): number {
    return this.host.sendBufferBytes;
  }

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  /** Any inbound frame counts as activity. */
  touch(now: number): void {
    this.lastActivity = now;
  }

  /** Called once the login succeeded: the login deadline no longer applies. */
  markLoggedIn(user: SessionUser): void {
    this.user = user;
    this.loggedInOnce = true;
  }

  /** Stop writing frames until `resume()`; a suspended session counts as unreachable. */
  suspend(): void {
    this.suspended = true;
  }

  resume(): void {
    this.suspended = false;
  }

  /**
   * Write a frame made by `encodeFrame`; false when the socket is not open or is suspended, or when the
   * frame would take the unsent bytes past the bound (a client that does not read): then the
   * frame is dropped and `onOverflow` cuts the socket once. With `batch`, a frame written to
   * the socket directly is held (corked) until the batch's flush; when the held frames would
   * take it past the bound, they are written out first, so only a client that does not read is cut.
   */
  sendRaw(frame: Buffer, batch?: WriteBatch): boolean {
    if (!this.isOpen || this.suspended || this.overflowed) return false;
    const socket = rawSocket(this.ws);
    if (!this.fits(frame.length) && !(socket && batch?.release(socket) && this.fits(frame.length))) {
      this.overflowed = true;
      this.host.onOverflow(this);
      return false;
    }
    if (socket) {
      batch?.cork(socket);
      socket.write(frame);
    } else this.ws.send(framePayload(frame), { binary: false });
    return true;
  }

  /** Whether `bytes` more stay within the bound of unsent bytes (frames held by a batch count). */
  private fits(bytes: number): boolean {
    return this.ws.bufferedAmount + bytes <= this.sendBufferBytes;
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

  /** Stop the kick timer, if any; called when the socket is closed. */
  dispose(): void {
    clearTimeout(this.kickTimer);
  }
}
