import { describe, expect, it } from 'vitest';
import { backoffCeiling, backoffDelay, WsClient, type WsFrame, type WsOptions, type WsState } from '../src';
import { connect, deferred, FakeClock, fakeSockets, settle } from './fakes';

function setup(random: () => number = () => 0.5, extra: Partial<WsOptions> = {}) {
  const clock = new FakeClock();
  const { sockets, factory, last } = fakeSockets();
  const states: WsState[] = [];
  const ready: boolean[] = [];
  const frames: WsFrame[] = [];
  const ws = new WsClient(
    { url: 'ws://x/im', token: () => 'tok', socket: factory, clock, random, ...extra },
    { onState: (s) => states.push(s), onReady: (r) => ready.push(r), onFrame: (f) => frames.push(f) },
  );
  return { ws, clock, sockets, last, states, ready, frames };
}

describe('backoff with full jitter', () => {
  it('ceiling doubles from the base and stops at the cap', () => {
    expect([0, 1, 2, 3, 4, 5, 6].map((a) => backoffCeiling(a))).toEqual([
      1000, 2000, 4000, 8000, 16_000, 30_000, 30_000,
    ]);
    expect(backoffCeiling(1000, { base: 500, max: 10_000 })).toBe(10_000);
  });

  it('every delay lies in [0, ceiling) and the whole range is used', () => {
    for (let attempt = 0; attempt < 12; attempt++) {
      const ceiling = backoffCeiling(attempt);
      for (const r of [0, 0.1, 0.5, 0.9, 0.999999]) {
        const d = backoffDelay(attempt, r);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThan(ceiling);
      }
      expect(backoffDelay(attempt, 0)).toBe(0);
      expect(backoffDelay(attempt, 0.999999)).toBeGreaterThan(ceiling * 0.99);
    }
  });
});

describe('WsClient', () => {
  it('logs in with the token and a device id, and is open only on the cmd 0 ack', () => {
    const { ws, last, states, ready } = setup();
    ws.start();
    expect(ws.state).toBe('connecting');
    expect(last().url).toBe('ws://x/im');
    last().open();
    expect(ws.state).toBe('authenticating');
    expect(last().sent).toEqual([{ cmd: 0, data: { accessToken: 'tok', devId: 500_000 } }]);
    last().recv({ cmd: 0, data: null });
    expect(ws.state).toBe('open');
    expect(ready).toEqual([false]);
    expect(states).toEqual(['connecting', 'authenticating', 'open']);
  });

  it('pings heartbeatMs after the ack and after each pong; a missing pong drops and reconnects', () => {
    const { ws, clock, last, sockets } = setup(() => 0.5, { heartbeatMs: 20_000 });
    ws.start();
    const s = connect(last);
    clock.advance(19_999);
    expect(s.sentCmd(1)).toHaveLength(0);
    clock.advance(1);
    expect(s.sentCmd(1)).toEqual([{ cmd: 1, data: {} }]);
    clock.advance(5000);
    s.recv({ cmd: 1, data: null });
    clock.advance(20_000);
    expect(s.sentCmd(1)).toHaveLength(2);
    // no pong this time: dropped after another heartbeatMs
    clock.advance(19_999);
    expect(ws.state).toBe('open');
    clock.advance(1);
    expect(ws.state).toBe('waiting');
    expect(s.closedWith).toBeUndefined();
    clock.advance(backoffCeiling(0));
    expect(sockets).toHaveLength(2);
  });

  it('waits a jittered, growing delay between failed attempts and resets after a login', () => {
    const { ws, clock, sockets, last, ready } = setup(() => 0.75);
    ws.start();
    connect(last);
    last().serverClose(1006);
    expect(ws.state).toBe('waiting');
    expect(clock.pending()).toEqual([750]); // 0.75 × 1000
    clock.advance(749);
    expect(sockets).toHaveLength(1);
    clock.advance(1);
    expect(sockets).toHaveLength(2);
    // fails before opening: the ceiling doubles
    last().serverClose(1006);
    expect(clock.pending()).toEqual([1500]);
    clock.advance(1500);
    last().serverClose(1011);
    expect(clock.pending()).toEqual([3000]);
    clock.advance(3000);
    expect(ws.attempt).toBe(3);
    connect(last);
    expect(ws.attempt).toBe(0);
    expect(ready).toEqual([false, true]);
    last().serverClose(1012);
    expect(clock.pending()).toEqual([750]);
  });

  it('never exceeds the cap however long the outage', () => {
    let r = 0;
    const { ws, clock, last } = setup(() => (r = (r + 0.37) % 1));
    ws.start();
    for (let i = 0; i < 40; i++) {
      last().serverClose(1006);
      const [wait] = clock.pending();
      expect(wait).toBeGreaterThanOrEqual(0);
      expect(wait).toBeLessThan(30_000);
      clock.advance(wait!);
    }
  });

  it('runs beforeReconnect (token refresh) before opening the next socket', async () => {
    const gate = deferred<void>();
    const { ws, clock, sockets, last } = setup(() => 0, { beforeReconnect: () => gate.promise });
    ws.start();
    connect(last);
    last().serverClose(4001);
    clock.advance(0);
    expect(sockets).toHaveLength(1);
    gate.resolve();
    await settle();
    expect(sockets).toHaveLength(2);
  });

  it('a close with 3000 or 3099 ends it; stop() closes with 3000; neither reconnects', () => {
    for (const code of [3000, 3099]) {
      const { ws, clock, sockets, last, states } = setup();
      ws.start();
      connect(last);
      last().serverClose(code);
      expect(ws.state).toBe('closed');
      expect(states.at(-1)).toBe('closed');
      clock.advance(600_000);
      expect(sockets).toHaveLength(1);
    }
    const { ws, clock, sockets, last } = setup();
    ws.start();
    const s = connect(last);
    ws.stop();
    expect(s.closedWith).toBe(3000);
    s.serverClose(3000); // the platform still reports the close: ignored
    clock.advance(600_000);
    expect(sockets).toHaveLength(1);
    expect(clock.pending()).toEqual([]);
  });

  it('force logout (cmd 2) stops before the frame is passed on', () => {
    const { ws, clock, sockets, last, frames } = setup();
    ws.start();
    const s = connect(last);
    s.recv({ cmd: 2, data: '您已在其他地方登录，将被强制下线' });
    expect(ws.state).toBe('closed');
    expect(s.closedWith).toBe(3000);
    expect(frames).toEqual([{ cmd: 2, data: '您已在其他地方登录，将被强制下线' }]);
    clock.advance(600_000);
    expect(sockets).toHaveLength(1);
  });

  it('passes push frames on, ignores garbage and events of replaced sockets', () => {
    const { ws, last, sockets, frames } = setup(() => 0.2);
    ws.start();
    const first = connect(last);
    first.recv({ cmd: 3, data: { id: 1 } });
    ws.drop();
    first.recv({ cmd: 3, data: { id: 99 } });
    first.serverClose(1006);
    expect(ws.state).toBe('waiting');
    ws.retryNow();
    expect(sockets).toHaveLength(2);
    expect(ws.state).toBe('connecting');
    last().open();
    last().recvRaw('not json');
    last().recvRaw('null');
    expect(frames).toEqual([{ cmd: 3, data: { id: 1 } }]);
  });

  it('keeps one device id across reconnects, so the server does not kick its own reconnect', () => {
    let r = 0.123456;
    const { ws, clock, last } = setup(() => r);
    ws.start();
    const a = connect(last);
    r = 0.9;
    a.serverClose(1006);
    clock.advance(30_000);
    last().open();
    const ids = [a, last()].map((s) => (s.sent[0] as { data: { devId: number } }).data.devId);
    expect(ids).toEqual([123_456, 123_456]);
  });

  it('a factory that throws counts as a failed attempt', () => {
    const clock = new FakeClock();
    let calls = 0;
    const ws = new WsClient({
      url: () => `ws://x/im?n=${calls}`,
      token: () => null,
      clock,
      random: () => 0.5,
      socket: () => {
        calls++;
        throw new Error('too many sockets');
      },
    });
    ws.start();
    expect(ws.state).toBe('waiting');
    clock.advance(500);
    expect(calls).toBe(2);
    expect(clock.pending()).toEqual([1000]);
  });
});
