/**
 * The node writes push frames whole to the TCP socket under `ws` (ws 8's `_socket`, when
 * `_sender._state` says ws's sender is idle) and corks it for a pass of deliveries. A ws
 * upgrade that renames these must fail here, loudly, rather than make every push silently
 * slower through the `ws.send` fallback; the fallback itself is logged once per node.
 */
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Cmd, RedisKey } from '@box-im/im-common';
import { encodeFrame } from '../src/frames';
import { WriteBatch } from '../src/write-batch';
import { checkWsInternals, hasWsInternals, rawSocket } from '../src/ws-internals';
import { busWorlds, captureLogs, TestClient, type BusWorld } from './support';

const wsVersion = (createRequire(import.meta.url)('ws/package.json') as { version: string }).version;

describe(`ws ${wsVersion} internals`, () => {
  const closers: (() => void)[] = [];
  afterEach(() => {
    for (const close of closers.splice(0)) close();
  });

  it('are there: frames written to the raw socket, held while corked, arrive in order', async () => {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    closers.push(() => wss.close());
    await new Promise<void>((resolve) => wss.once('listening', resolve));
    const accepted = new Promise<WebSocket>((resolve) => wss.once('connection', resolve));
    const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`);
    closers.push(() => client.terminate());
    const received: unknown[] = [];
    const all = new Promise<void>((resolve) =>
      client.on('message', (data: Buffer) => {
        received.push(JSON.parse(data.toString('utf8')));
        if (received.length === 3) resolve();
      }),
    );
    const ws = await accepted;

    const hint = `ws ${wsVersion} changed _socket / _sender._state: update src/ws-internals.ts`;
    expect(hasWsInternals(ws), hint).toBe(true);
    const socket = rawSocket(ws);
    expect(socket, hint).toBe((ws as unknown as { _socket: unknown })._socket);

    const batch = new WriteBatch();
    const [a, b] = [encodeFrame(Cmd.GROUP_MESSAGE, 'a'), encodeFrame(Cmd.GROUP_MESSAGE, 'b')];
    batch.cork(socket!);
    socket!.write(a);
    batch.cork(socket!); // already corked in this pass: no second cork to undo
    socket!.write(b);
    expect(socket!.writableCorked).toBe(1);
    expect(ws.bufferedAmount).toBe(a.length + b.length); // held, counted against the send bound
    batch.flush();
    expect(socket!.writableCorked).toBe(0);
    ws.send(JSON.stringify({ cmd: Cmd.GROUP_MESSAGE, data: 'c' })); // ws's own path, after ours
    await all;
    expect(received).toEqual(['a', 'b', 'c'].map((data) => ({ cmd: Cmd.GROUP_MESSAGE, data })));
  });

  it('missing: the check says so in one warning naming the fallback', () => {
    const { logger, entries: lines } = captureLogs('warn');
    const renamed = { socket: {}, sender: { state: 0 } } as unknown as WebSocket;
    expect(hasWsInternals(renamed)).toBe(false);
    expect(rawSocket(renamed)).toBeUndefined();
    expect(checkWsInternals(renamed, logger)).toBe(true);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ fallback: 'ws.send' });
    expect(lines[0]!.msg).toMatch(/ws internals .* not found/);
  });
});

describe.each(busWorlds())('a push node on the $name bus', ({ create }) => {
  let world: BusWorld;
  beforeEach(() => {
    world = create();
  });
  afterEach(() => world.dispose());

  it('finds the ws internals at its first socket (no fallback warning) and delivers', async () => {
    const { logger, entries: lines } = captureLogs('warn');
    const node = await world.startNode({ logger });
    const member = await TestClient.connect(node.url, 7, 0);
    try {
      const bus = await world.connect();
      await bus.push(RedisKey.groupMessageQueue(node.server.serverId), [
        JSON.stringify({ cmd: Cmd.GROUP_MESSAGE, recvPairs: [7, 0], sendResult: false, data: 'hi' }),
      ]);
      expect(await member.nextFrame()).toEqual({ cmd: Cmd.GROUP_MESSAGE, data: 'hi' });
      expect(lines.filter((l) => l.msg.includes('ws internals'))).toEqual([]);
    } finally {
      member.close();
    }
  });
});
