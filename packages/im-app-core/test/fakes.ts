/**
 * Test doubles for the platform: a clock that only moves when told, sockets the test drives
 * frame by frame, an HTTP transport answered by a handler, and fixed "random" numbers.
 */
import type {
  Clock,
  HttpRequest,
  HttpResponse,
  PlatformSocket,
  SocketFactory,
  SocketHandlers,
  TimerHandle,
} from '../src';

interface Timer {
  id: number;
  at: number;
  fn: () => void;
}

/** Virtual time: `advance(ms)` runs due timers in order; nothing runs by itself. */
export class FakeClock implements Clock {
  private time = 1_000_000;
  private seq = 0;
  private timers: Timer[] = [];

  now(): number {
    return this.time;
  }
  setTimeout(fn: () => void, ms: number): TimerHandle {
    const timer = { id: ++this.seq, at: this.time + Math.max(0, ms), fn };
    this.timers.push(timer);
    return timer.id;
  }
  clearTimeout(handle: TimerHandle): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }
  /** Pending timers, soonest first (ms from now). */
  pending(): number[] {
    return this.timers.map((t) => t.at - this.time).sort((a, b) => a - b);
  }
  advance(ms: number): void {
    const end = this.time + ms;
    for (let runs = 0; ; runs++) {
      if (runs > 10_000) throw new Error('FakeClock: timers keep rescheduling themselves');
      const due = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.time = due.at;
      due.fn();
    }
    this.time = end;
  }
}

export class FakeSocket implements PlatformSocket {
  sent: unknown[] = [];
  closedWith: number | undefined | null = null;
  constructor(
    readonly url: string,
    private readonly h: SocketHandlers,
  ) {}
  send(data: string): void {
    this.sent.push(JSON.parse(data));
  }
  close(code?: number): void {
    this.closedWith = code;
  }
  // Driven by the test:
  open(): void {
    this.h.onOpen();
  }
  recv(frame: unknown): void {
    this.h.onMessage(JSON.stringify(frame));
  }
  recvRaw(text: string): void {
    this.h.onMessage(text);
  }
  /** The server (or the network) closed the connection. */
  serverClose(code = 1006): void {
    this.h.onClose(code);
  }
  /** Frames with this cmd that the client sent. */
  sentCmd(cmd: number): unknown[] {
    return this.sent.filter((f) => (f as { cmd: number }).cmd === cmd);
  }
}

export function fakeSockets() {
  const sockets: FakeSocket[] = [];
  const factory: SocketFactory = (url, handlers) => {
    const s = new FakeSocket(url, handlers);
    sockets.push(s);
    return s;
  };
  return { sockets, factory, last: () => sockets[sockets.length - 1]! };
}

/** Open the newest socket and ack its login. */
export function connect(last: () => FakeSocket): FakeSocket {
  const s = last();
  s.open();
  s.recv({ cmd: 0, data: null });
  return s;
}

type Envelope = { code: number; message?: string; data?: unknown };
type Handler = (req: HttpRequest) => Envelope | HttpResponse | Promise<Envelope | HttpResponse>;

/** Answers each request with an envelope from `handler`; records every request. */
export function fakeTransport(handler: Handler) {
  const calls: HttpRequest[] = [];
  const transport = async (req: HttpRequest): Promise<HttpResponse> => {
    calls.push(req);
    const out = await handler(req);
    if ('status' in out) return out;
    return { status: 200, body: { message: '', data: null, ...out } };
  };
  return { calls, transport };
}

/** Let pending promise callbacks run (no timers involved). */
export async function settle(rounds = 50): Promise<void> {
  for (let i = 0; i < rounds; i++) await Promise.resolve();
}

/** A promise the test resolves by hand. */
export function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
