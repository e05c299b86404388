import type { RawData } from 'ws';

/** A parsed client frame. Only `cmd` is checked here; each command checks its own `data`. */
export interface InboundFrame {
  cmd: number;
  data: unknown;
}

export type ParsedFrame = { ok: true; frame: InboundFrame } | { ok: false; reason: string };

function toText(raw: RawData): string {
  if (Array.isArray(raw)) return Buffer.concat(raw).toString('utf8');
  if (raw instanceof ArrayBuffer) return Buffer.from(raw).toString('utf8');
  return raw.toString('utf8');
}

/**
 * Parse one inbound WebSocket message. Accepts JSON text objects with an integer `cmd`;
 * extra top-level fields are ignored (box-im dropped such frames). Binary frames, non-JSON,
 * non-objects and non-integer commands are refused with a reason for the debug log.
 */
export function parseInboundFrame(raw: RawData, isBinary: boolean): ParsedFrame {
  if (isBinary) return { ok: false, reason: 'binary frame' };
  let value: unknown;
  try {
    value = JSON.parse(toText(raw));
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, reason: 'not a JSON object' };
  }
  const { cmd, data } = value as { cmd?: unknown; data?: unknown };
  if (typeof cmd !== 'number' || !Number.isInteger(cmd))
    return { ok: false, reason: 'cmd is not an integer' };
  return { ok: true, frame: { cmd, data } };
}

/**
 * Encode an outbound frame `{"cmd":…,"data":…}` once, as the WebSocket text frame every
 * socket of one push is written: header and UTF-8 JSON payload in one buffer (a server's
 * frames are unmasked, RFC 6455 §5.2, so the bytes are the same for every socket), written
 * with one `write` per socket instead of ws's header + payload pair. `data` is always present
 * (`null` when absent); null fields inside it are kept.
 */
export function encodeFrame(cmd: number, data: unknown): Buffer {
  const json = JSON.stringify({ cmd, data: data ?? null });
  const length = Buffer.byteLength(json, 'utf8');
  const head = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(head + length);
  frame[0] = 0x81; // FIN, text
  if (head === 2) frame[1] = length;
  else if (head === 4) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
    frame.writeUInt32BE(length >>> 0, 6);
  }
  frame.write(json, head, 'utf8');
  return frame;
}

/** The payload of a frame made by `encodeFrame` (its JSON bytes), without copying. */
export function framePayload(frame: Buffer): Buffer {
  const length = frame[1]! & 0x7f;
  return frame.subarray(length < 126 ? 2 : length === 126 ? 4 : 10);
}
