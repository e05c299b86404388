/** The browser's WebSocket as the core's socket, and the endpoint next to the page. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { browserSocket, wsUrl } from '../../src/platform';
import { FakeWebSocket } from './fake-websocket';

describe('browser platform', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('wires WebSocket events to the core and sends/closes through it', () => {
    vi.stubGlobal('WebSocket', FakeWebSocket);
    const seen: string[] = [];
    const socket = browserSocket('ws://h/im', {
      onOpen: () => seen.push('open'),
      onMessage: (d) => seen.push(`msg ${d}`),
      onError: () => seen.push('error'),
      onClose: (code) => seen.push(`close ${code}`),
    });
    const ws = FakeWebSocket.last();
    expect(ws.url).toBe('ws://h/im');
    ws.onopen!();
    ws.onmessage!({ data: '{"cmd":0}' });
    ws.onerror!();
    ws.onclose!({ code: 1006 });
    socket.send('x');
    socket.close(3000);
    expect(seen).toEqual(['open', 'msg {"cmd":0}', 'error', 'close 1006']);
    expect([ws.sent, ws.closed]).toEqual([['x'], 3000]);
  });

  it('the socket lives at /im on the page host, wss under https', () => {
    expect(wsUrl({ protocol: 'https:', host: 'im.example.com' } as Location)).toBe('wss://im.example.com/im');
    expect(wsUrl({ protocol: 'http:', host: 'localhost:8080' } as Location)).toBe('ws://localhost:8080/im');
  });
});
