/** A stand-in for the browser's WebSocket (install with `vi.stubGlobal('WebSocket', FakeWebSocket)`). */
export class FakeWebSocket {
  static all: FakeWebSocket[] = [];
  static last(): FakeWebSocket {
    return FakeWebSocket.all[FakeWebSocket.all.length - 1]!;
  }
  sent: string[] = [];
  closed: number | undefined;
  onopen: (() => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onerror: (() => void) | null = null;
  onclose: ((ev: { code: number }) => void) | null = null;
  constructor(readonly url: string) {
    FakeWebSocket.all.push(this);
  }
  send(d: string) {
    this.sent.push(d);
  }
  close(code?: number) {
    this.closed = code;
  }
  /** A frame from the server. */
  recv(frame: unknown) {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
  /** What the client sent, parsed. */
  frames(): unknown[] {
    return this.sent.map((s) => JSON.parse(s) as unknown);
  }
}
