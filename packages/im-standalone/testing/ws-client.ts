/** A real WebSocket client speaking box-im's protocol, with awaitable frames. */
import WebSocket from 'ws';

export interface Frame {
  cmd: number;
  data: unknown;
}

export class TestSocket {
  readonly frames: Frame[] = [];
  private waiters: { match: (f: Frame) => boolean; resolve: (f: Frame) => void }[] = [];
  closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (raw: Buffer) => {
      let frame: Frame;
      try {
        frame = JSON.parse(raw.toString()) as Frame;
      } catch {
        return;
      }
      this.frames.push(frame);
      this.waiters = this.waiters.filter((w) => {
        if (!w.match(frame)) return true;
        w.resolve(frame);
        return false;
      });
    });
    this.closed = new Promise((resolve) =>
      ws.on('close', (code: number, reason: Buffer) => resolve({ code, reason: reason.toString() })),
    );
  }

  /** Open `/im` without logging in. */
  static async open(baseUrl: string): Promise<TestSocket> {
    const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/im`);
    const socket = new TestSocket(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return socket;
  }

  /** Open `/im`, send the login frame and wait for the ack. */
  static async login(
    baseUrl: string,
    accessToken: string,
    devId: string | number = Math.floor(Math.random() * 1e6),
  ) {
    const socket = await TestSocket.open(baseUrl);
    const ack = socket.next((f) => f.cmd === 0, 5000);
    socket.send({ cmd: 0, data: { accessToken, devId } });
    await ack;
    return socket;
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** The first frame (already received or coming) matching `match`. */
  next(match: (f: Frame) => boolean = () => true, timeoutMs = 5000): Promise<Frame> {
    const seen = this.frames.find(match);
    if (seen) {
      this.frames.splice(this.frames.indexOf(seen), 1);
      return Promise.resolve(seen);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no matching frame within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.waiters.push({
        match,
        resolve: (f) => {
          clearTimeout(timer);
          this.frames.splice(this.frames.indexOf(f), 1);
          resolve(f);
        },
      });
    });
  }

  /** Frames of `cmd` whose data has `type`. */
  nextMessage(cmd: number, type: number, timeoutMs = 5000): Promise<Frame> {
    return this.next((f) => f.cmd === cmd && (f.data as { type?: number } | null)?.type === type, timeoutMs);
  }

  /** Wait briefly and return every frame matching `match` received so far (to assert absence). */
  async settle(match: (f: Frame) => boolean, ms = 300): Promise<Frame[]> {
    await new Promise((r) => setTimeout(r, ms));
    return this.frames.filter(match);
  }

  /** The close event, or a rejection if the server keeps the socket open for `timeoutMs`. */
  async closedWithin(timeoutMs = 5000): Promise<{ code: number; reason: string }> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`socket still open after ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      return await Promise.race([this.closed, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  close(): void {
    this.ws.close(3000);
  }
}
