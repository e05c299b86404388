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
 * Encode an outbound frame `{"cmd":…,"data":…}` as UTF-8 JSON bytes, once, so that one
 * push to many sockets serialises its payload a single time. `data` is always present
 * (`null` when absent); null fields inside it are kept.
 */
export function encodeFrame(cmd: number, data: unknown): Buffer {
  return Buffer.from(JSON.stringify({ cmd, data: data ?? null }), 'utf8');
}
