import type WebSocket from 'ws';
import type { Logger } from 'pino';

/**
 * The TCP socket under a `ws` WebSocket, as far as the node writes whole frames to it
 * (`Session.sendRaw`) and corks it for a pass of deliveries (`WriteBatch`).
 */
export interface RawSocket {
  write(chunk: Buffer): boolean;
  cork(): void;
  uncork(): void;
  /** How many `cork()` calls are not yet undone (Node's `Writable.writableCorked`). */
  readonly writableCorked: number;
}

/**
 * The parts of ws's internals read here (ws 8): `_socket`, and `_sender._state`, whose value 0
 * (`DEFAULT` in ws's sender.js) means no compression or Blob read is under way, so nothing of
 * ws's is queued that a frame written straight to the socket could overtake.
 */
interface WsInternals {
  _socket?: Partial<RawSocket>;
  _sender?: { _state?: unknown };
}

/** ws's sender state "idle" (`DEFAULT`). */
const SENDER_IDLE = 0;

/**
 * Whether `ws` (an open server-side socket) has the internals the node writes through: a
 * `_sender` with a numeric `_state` and a `_socket` that can write, cork and uncork. False
 * after a ws upgrade that renamed them: the node then sends every frame with `ws.send`, slower
 * (two buffers per frame, ws's own checks), which `PushServer` logs once.
 */
export function hasWsInternals(ws: WebSocket): boolean {
  const { _socket: socket, _sender: sender } = ws as unknown as WsInternals;
  return (
    typeof sender?._state === 'number' &&
    typeof socket?.write === 'function' &&
    typeof socket.cork === 'function' &&
    typeof socket.uncork === 'function' &&
    typeof socket.writableCorked === 'number'
  );
}

/**
 * The socket under `ws` when a whole frame may be written to it directly (ws's sender idle);
 * else undefined (use `ws.send`).
 */
export function rawSocket(ws: WebSocket): RawSocket | undefined {
  const internals = ws as unknown as WsInternals;
  return internals._sender?._state === SENDER_IDLE ? (internals._socket as RawSocket | undefined) : undefined;
}

/**
 * Check `ws` (a node's first socket) with `hasWsInternals` and warn once when the internals
 * are missing, naming the slower path taken. Returns true (checked).
 */
export function checkWsInternals(ws: WebSocket, logger: Logger): true {
  if (!hasWsInternals(ws)) {
    logger.warn(
      { fallback: 'ws.send' },
      'ws internals (_socket, _sender._state) not found: push frames are sent through ws.send, slower',
    );
  }
  return true;
}
