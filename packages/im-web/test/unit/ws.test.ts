import { describe, expect, it, vi } from 'vitest';
import { backoffDelay, WsClient, type WsState } from '../../src/api/ws';

class FakeSocket {
  readyState = 0;
  sent: string[] = [];
  onopen: ((ev: unknown) => void) | null = null;
  onclose: ((ev: { code: number }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  closedWith: number | undefined;
  send(d: string) {
    this.sent.push(d);
  }
  close(code?: number) {
    this.closedWith = code;
  }
  // helpers
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  recv(frame: unknown) {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
  serverClose(code = 1006) {
    this.onclose?.({ code });
  }
}

function setup(random = 0.5) {
  vi.useFakeTimers();
  const sockets: FakeSocket[] = [];
  const states: WsState[] = [];
  const ready: boolean[] = [];
  const frames: unknown[] = [];
  const ws = new WsClient(
    {
      url: 'ws://x/im',
      token: () => 'tok',
      random: () => random,
      createSocket: () => {
        const s = new FakeSocket();
        sockets.push(s);
        return s;
      },
    },
    { onState: (s) => states.push(s), onReady: (r) => ready.push(r), onFrame: (f) => frames.push(f) },
  );
  return { ws, sockets, states, ready, frames, last: () => sockets[sockets.length - 1]! };
}

describe('backoffDelay', () => {
  it('grows exponentially with jitter and a cap', () => {
    expect(backoffDelay(0, 0)).toBe(250);
    expect(backoffDelay(0, 1)).toBe(500);
    expect(backoffDelay(3, 0)).toBe(2000);
    expect(backoffDelay(3, 1)).toBe(4000);
    expect(backoffDelay(50, 1)).toBe(30_000);
    expect(backoffDelay(50, 0)).toBe(15_000);
  });
  it('spreads clients apart (jitter)', () => {
    const values = new Set([0, 0.25, 0.5, 0.75, 1].map((r) => backoffDelay(4, r)));
    expect(values.size).toBe(5);
  });
});

describe('WsClient state machine', () => {
  it('connects, logs in with token and devId, becomes open on the cmd 0 ack', () => {
    const { ws, last, states, ready } = setup();
    ws.start();
    expect(ws.state).toBe('connecting');
    last().open();
    expect(ws.state).toBe('authenticating');
    const login = JSON.parse(last().sent[0]!) as {
      cmd: number;
      data: { accessToken: string; devId: number };
    };
    expect(login.cmd).toBe(0);
    expect(login.data.accessToken).toBe('tok');
    expect(typeof login.data.devId).toBe('number');
    last().recv({ cmd: 0, data: null });
    expect(ws.state).toBe('open');
    expect(ready).toEqual([false]);
    expect(states).toEqual(['connecting', 'authenticating', 'open']);
    vi.useRealTimers();
  });

  it('heartbeats after each pong and drops a dead connection', () => {
    const { ws, last } = setup();
    ws.start();
    last().open();
    last().recv({ cmd: 0, data: null });
    vi.advanceTimersByTime(10_000);
    expect(JSON.parse(last().sent.at(-1)!)).toEqual({ cmd: 1, data: {} });
    last().recv({ cmd: 1, data: null });
    vi.advanceTimersByTime(10_000);
    expect(last().sent.filter((s) => s.includes('"cmd":1'))).toHaveLength(2);
    // no pong this time
    vi.advanceTimersByTime(10_000);
    expect(ws.state).toBe('waiting');
    vi.useRealTimers();
  });

  it('reconnects with jittered backoff and reports the reconnect', () => {
    const { ws, sockets, last, ready } = setup(0);
    ws.start();
    last().open();
    last().recv({ cmd: 0, data: null });
    last().serverClose(1006);
    expect(ws.state).toBe('waiting');
    vi.advanceTimersByTime(249);
    expect(sockets).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(sockets).toHaveLength(2);
    // fails again before open: the next wait doubles
    last().serverClose(1006);
    vi.advanceTimersByTime(499);
    expect(sockets).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(sockets).toHaveLength(3);
    last().open();
    last().recv({ cmd: 0, data: null });
    expect(ready).toEqual([false, true]);
    expect(ws.attempt).toBe(0);
    vi.useRealTimers();
  });

  it('does not reconnect after an intentional close (3000), stop(), or force logout', () => {
    const a = setup();
    a.ws.start();
    a.last().open();
    a.last().serverClose(3000);
    expect(a.ws.state).toBe('closed');
    vi.advanceTimersByTime(60_000);
    expect(a.sockets).toHaveLength(1);
    vi.useRealTimers();

    const b = setup();
    b.ws.start();
    b.last().open();
    b.last().recv({ cmd: 0, data: null });
    b.ws.stop();
    expect(b.last().closedWith).toBe(3000);
    vi.advanceTimersByTime(60_000);
    expect(b.sockets).toHaveLength(1);
    vi.useRealTimers();

    const c = setup();
    c.ws.start();
    c.last().open();
    c.last().recv({ cmd: 0, data: null });
    c.last().recv({ cmd: 2, data: 'kicked' });
    expect(c.ws.state).toBe('closed');
    expect(c.frames).toEqual([{ cmd: 2, data: 'kicked' }]);
    vi.useRealTimers();
  });

  it('passes push frames through and retryNow skips the wait', () => {
    const { ws, last, sockets, frames } = setup(1);
    ws.start();
    last().open();
    last().recv({ cmd: 0, data: null });
    last().recv({ cmd: 3, data: { id: 1 } });
    expect(frames).toEqual([{ cmd: 3, data: { id: 1 } }]);
    ws.drop();
    expect(ws.state).toBe('waiting');
    ws.retryNow();
    expect(sockets).toHaveLength(2);
    expect(ws.state).toBe('connecting');
    vi.useRealTimers();
  });
});
