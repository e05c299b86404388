/**
 * The WebSocket connection as an explicit state machine.
 *
 *   idle ──start──▶ connecting ──open──▶ authenticating ──cmd 0──▶ open
 *     ▲                 │                      │                    │
 *     │                 └──── close / error ───┴────────────────────┤
 *     │                                                             ▼
 *   closed ◀── stop() / close 3000·3099 / cmd 2 ── (any) ◀── timer ── waiting (full-jitter backoff)
 *
 * On open it sends the login frame `{cmd:0, data:{accessToken, devId}}`; the connection counts
 * only after the server's cmd 0 ack. Heartbeat: a ping `heartbeatMs` after each pong (the first
 * after the ack); no pong within `heartbeatMs` more → the socket is dropped and reconnects.
 * `devId` is fixed for the client's lifetime, so the server does not kick our own reconnects.
 */
import { Cmd } from '@box-im/im-common';
import type { Clock, PlatformSocket, Random, SocketFactory, TimerHandle } from '../platform';
import { backoffDelay, type BackoffOptions } from './backoff';
import { ClientCloseCode, isFinalClose } from './codes';

export type WsState = 'idle' | 'connecting' | 'authenticating' | 'open' | 'waiting' | 'closed';

export interface WsFrame {
  cmd: number;
  data: unknown;
}

export interface WsOptions {
  /** Endpoint, e.g. `wss://host/im`; a function is asked again at each attempt. */
  url: string | (() => string);
  /** The access token to log in with (read at each attempt). */
  token: () => string | null;
  socket: SocketFactory;
  clock: Clock;
  random: Random;
  /** Ping interval and pong timeout in ms. @default 10000 */
  heartbeatMs?: number;
  backoff?: BackoffOptions;
  /** Runs before each reconnect attempt, e.g. to prove the network and refresh an expired token. */
  beforeReconnect?: () => Promise<void>;
}

export interface WsEvents {
  onState?: (state: WsState, previous: WsState) => void;
  /** Login acked. `reconnect` is false the first time. */
  onReady?: (reconnect: boolean) => void;
  /** Every server frame but login and heartbeat acks (force logout included, after the stop). */
  onFrame?: (frame: WsFrame) => void;
}

export class WsClient {
  private current: WsState = 'idle';
  private failures = 0;
  private socket: PlatformSocket | null = null;
  /** Increases with every socket, so events of an old socket are ignored. */
  private generation = 0;
  private timer: TimerHandle = null;
  private pongTimer: TimerHandle = null;
  private everReady = false;
  readonly devId: number;

  constructor(
    private readonly opts: WsOptions,
    private readonly events: WsEvents = {},
  ) {
    this.devId = Math.floor(opts.random() * 1_000_000);
  }

  get state(): WsState {
    return this.current;
  }

  /** Failed attempts since the last successful login (drives the backoff). */
  get attempt(): number {
    return this.failures;
  }

  private get heartbeatMs(): number {
    return this.opts.heartbeatMs ?? 10_000;
  }

  private setState(next: WsState): void {
    const previous = this.current;
    if (previous === next) return;
    this.current = next;
    this.events.onState?.(next, previous);
  }

  start(): void {
    if (this.current !== 'idle' && this.current !== 'closed') return;
    this.open();
  }

  /** Skip the backoff wait (the platform reports the network is back, the app came to the front). */
  retryNow(): void {
    if (this.current !== 'waiting') return;
    this.clearTimers();
    this.open();
  }

  /** Intentional close: no reconnect. */
  stop(): void {
    this.clearTimers();
    this.setState('closed');
    const s = this.socket;
    this.socket = null;
    this.generation++;
    if (s) {
      try {
        s.close(ClientCloseCode.INTENTIONAL);
      } catch {
        /* already closed */
      }
    }
  }

  /** Drop the current socket as if the network failed (dead heartbeat, tests): reconnects. */
  drop(): void {
    if (this.socket) this.handleClose(this.generation, ClientCloseCode.DROPPED);
  }

  private open(): void {
    this.setState('connecting');
    const gen = ++this.generation;
    const url = typeof this.opts.url === 'function' ? this.opts.url() : this.opts.url;
    const live = () => gen === this.generation;
    try {
      this.socket = this.opts.socket(url, {
        onOpen: () => {
          if (!live()) return;
          this.setState('authenticating');
          this.send({ cmd: Cmd.LOGIN, data: { accessToken: this.opts.token() ?? '', devId: this.devId } });
        },
        onMessage: (data) => {
          if (live()) this.handleMessage(data);
        },
        onError: () => {
          /* a close follows */
        },
        onClose: (code) => this.handleClose(gen, code),
      });
    } catch {
      // The platform refused to even create the socket (bad URL, too many sockets).
      this.socket = null;
      this.scheduleReconnect();
    }
  }

  private send(frame: WsFrame): void {
    try {
      this.socket?.send(JSON.stringify(frame));
    } catch {
      /* the close handler takes over */
    }
  }

  private handleMessage(raw: string): void {
    let frame: WsFrame;
    try {
      frame = JSON.parse(raw) as WsFrame;
    } catch {
      return;
    }
    if (typeof frame !== 'object' || frame === null) return;
    switch (frame.cmd) {
      case Cmd.LOGIN: {
        const reconnect = this.everReady;
        this.everReady = true;
        this.failures = 0;
        this.setState('open');
        this.scheduleHeartbeat();
        this.events.onReady?.(reconnect);
        return;
      }
      case Cmd.HEART_BEAT:
        if (this.pongTimer !== null) this.opts.clock.clearTimeout(this.pongTimer);
        this.pongTimer = null;
        this.scheduleHeartbeat();
        return;
      case Cmd.FORCE_LOGOUT:
        this.stop();
        this.events.onFrame?.(frame);
        return;
      default:
        this.events.onFrame?.(frame);
    }
  }

  private scheduleHeartbeat(): void {
    const clock = this.opts.clock;
    if (this.timer !== null) clock.clearTimeout(this.timer);
    this.timer = clock.setTimeout(() => {
      this.timer = null;
      if (this.current !== 'open') return;
      this.send({ cmd: Cmd.HEART_BEAT, data: {} });
      this.pongTimer = clock.setTimeout(() => {
        this.pongTimer = null;
        this.drop();
      }, this.heartbeatMs);
    }, this.heartbeatMs);
  }

  private handleClose(gen: number, code: number): void {
    if (gen !== this.generation) return;
    const s = this.socket;
    this.socket = null;
    this.generation++;
    try {
      s?.close();
    } catch {
      /* already closed */
    }
    this.clearTimers();
    if (isFinalClose(code) || this.current === 'closed') {
      this.setState('closed');
      return;
    }
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    this.setState('waiting');
    const delay = backoffDelay(this.failures++, this.opts.random(), this.opts.backoff);
    this.timer = this.opts.clock.setTimeout(() => {
      this.timer = null;
      if (this.current !== 'waiting') return;
      const go = () => {
        if (this.current === 'waiting') this.open();
      };
      if (this.opts.beforeReconnect) this.opts.beforeReconnect().then(go, go);
      else go();
    }, delay);
  }

  private clearTimers(): void {
    if (this.timer !== null) this.opts.clock.clearTimeout(this.timer);
    if (this.pongTimer !== null) this.opts.clock.clearTimeout(this.pongTimer);
    this.timer = null;
    this.pongTimer = null;
  }
}
