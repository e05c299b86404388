/**
 * WebSocket client as an explicit state machine.
 *
 *   idle ──connect──▶ connecting ──open──▶ authenticating ──cmd 0──▶ open
 *     ▲                   │                      │                    │
 *     │                   └──────── close/error ─┴────────────────────┤
 *     │                                                                ▼
 *   closed ◀── stop() / code 3000 / cmd 2 ─── (any) ◀── timer ── waiting (jittered backoff)
 *
 * Heartbeat: a ping 10 s after each pong; no pong within 10 s more → drop and reconnect.
 */
import { Cmd, CloseCode } from '@box-im/im-common';

export type WsState = 'idle' | 'connecting' | 'authenticating' | 'open' | 'waiting' | 'closed';

export interface BackoffOptions {
  /** First delay in ms. @default 500 */
  base?: number;
  /** Cap in ms. @default 30000 */
  max?: number;
}

/** "Equal jitter" exponential backoff: half fixed, half random, capped. */
export function backoffDelay(attempt: number, random: number, opts: BackoffOptions = {}): number {
  const base = opts.base ?? 500;
  const max = opts.max ?? 30_000;
  const exp = Math.min(max, base * 2 ** Math.min(attempt, 20));
  return Math.round(exp / 2 + (exp / 2) * random);
}

export interface WsFrame {
  cmd: number;
  data: unknown;
}

interface SocketLike {
  readyState: number;
  send(data: string): void;
  close(code?: number): void;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: { code: number }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
}

export interface WsDeps {
  url: string;
  token: () => string | null;
  createSocket?: (url: string) => SocketLike;
  random?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  heartbeatMs?: number;
  backoff?: BackoffOptions;
  /** Called before each reconnect attempt (e.g. to refresh an expired token). */
  beforeReconnect?: () => Promise<void>;
}

export interface WsEvents {
  onState?: (state: WsState) => void;
  /** Login acked. `reconnect` is false the first time. */
  onReady?: (reconnect: boolean) => void;
  onFrame?: (frame: WsFrame) => void;
}

export class WsClient {
  state: WsState = 'idle';
  attempt = 0;
  private socket: SocketLike | null = null;
  private timer: unknown = null;
  private pongTimer: unknown = null;
  private everReady = false;
  private readonly devId = Math.floor(Math.random() * 1_000_000);
  private readonly deps: Required<Omit<WsDeps, 'beforeReconnect' | 'backoff'>> &
    Pick<WsDeps, 'beforeReconnect' | 'backoff'>;

  constructor(
    deps: WsDeps,
    private readonly events: WsEvents = {},
  ) {
    this.deps = {
      createSocket: (url) => new WebSocket(url) as unknown as SocketLike,
      random: Math.random,
      setTimer: (fn, ms) => setTimeout(fn, ms),
      clearTimer: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
      heartbeatMs: 10_000,
      ...deps,
    };
  }

  private setState(s: WsState): void {
    if (this.state === s) return;
    this.state = s;
    this.events.onState?.(s);
  }

  start(): void {
    if (this.state !== 'idle' && this.state !== 'closed') return;
    this.open();
  }

  /** Skip the backoff wait (e.g. the browser reports it is online again). */
  retryNow(): void {
    if (this.state !== 'waiting') return;
    this.clearTimers();
    this.open();
  }

  /** Intentional close: no reconnect. */
  stop(): void {
    this.clearTimers();
    this.setState('closed');
    const s = this.socket;
    this.socket = null;
    if (s) {
      s.onclose = null;
      s.onerror = null;
      s.onmessage = null;
      try {
        s.close(CloseCode.INTENTIONAL);
      } catch {
        /* already closed */
      }
    }
  }

  /** Drop the current socket as if the network failed (tests, dead heartbeat). */
  drop(): void {
    const s = this.socket;
    if (!s) return;
    this.handleClose(s, 4000);
  }

  private open(): void {
    this.setState('connecting');
    const s = this.deps.createSocket(this.deps.url);
    this.socket = s;
    s.onopen = () => {
      if (this.socket !== s) return;
      this.setState('authenticating');
      this.send({ cmd: Cmd.LOGIN, data: { accessToken: this.deps.token() ?? '', devId: this.devId } });
    };
    s.onmessage = (ev) => {
      if (this.socket !== s) return;
      this.handleMessage(ev.data);
    };
    s.onerror = () => {
      /* a close event follows */
    };
    s.onclose = (ev) => this.handleClose(s, ev.code);
  }

  private send(frame: WsFrame): void {
    try {
      this.socket?.send(JSON.stringify(frame));
    } catch {
      /* the close handler takes over */
    }
  }

  private handleMessage(raw: unknown): void {
    let frame: WsFrame;
    try {
      frame = JSON.parse(String(raw)) as WsFrame;
    } catch {
      return;
    }
    if (frame.cmd === Cmd.LOGIN) {
      const reconnect = this.everReady;
      this.everReady = true;
      this.attempt = 0;
      this.setState('open');
      this.scheduleHeartbeat();
      this.events.onReady?.(reconnect);
      return;
    }
    if (frame.cmd === Cmd.HEART_BEAT) {
      if (this.pongTimer !== null) this.deps.clearTimer(this.pongTimer);
      this.pongTimer = null;
      this.scheduleHeartbeat();
      return;
    }
    if (frame.cmd === Cmd.FORCE_LOGOUT) {
      this.events.onFrame?.(frame);
      this.stop();
      return;
    }
    this.events.onFrame?.(frame);
  }

  private scheduleHeartbeat(): void {
    if (this.timer !== null) this.deps.clearTimer(this.timer);
    this.timer = this.deps.setTimer(() => {
      this.timer = null;
      if (this.state !== 'open') return;
      this.send({ cmd: Cmd.HEART_BEAT, data: {} });
      this.pongTimer = this.deps.setTimer(() => {
        this.pongTimer = null;
        this.drop();
      }, this.deps.heartbeatMs);
    }, this.deps.heartbeatMs);
  }

  private handleClose(s: SocketLike, code: number): void {
    if (this.socket !== s) return;
    this.socket = null;
    s.onclose = null;
    s.onmessage = null;
    try {
      s.close();
    } catch {
      /* ignore */
    }
    this.clearTimers();
    if (code === CloseCode.INTENTIONAL || this.state === 'closed') {
      this.setState('closed');
      return;
    }
    this.setState('waiting');
    const delay = backoffDelay(this.attempt++, this.deps.random(), this.deps.backoff);
    this.timer = this.deps.setTimer(() => {
      this.timer = null;
      if (this.state !== 'waiting') return;
      const go = () => {
        if (this.state === 'waiting') this.open();
      };
      if (this.deps.beforeReconnect) this.deps.beforeReconnect().then(go, go);
      else go();
    }, delay);
  }

  private clearTimers(): void {
    if (this.timer !== null) this.deps.clearTimer(this.timer);
    if (this.pongTimer !== null) this.deps.clearTimer(this.pongTimer);
    this.timer = null;
    this.pongTimer = null;
  }
}

export function wsUrl(loc: Location = location): string {
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}/im`;
}
