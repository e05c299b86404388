import { open } from 'node:fs/promises';

/** EBML element ids (with their length marker, as written). */
const ID = {
  segment: 0x18538067,
  tracks: 0x1654ae6b,
  trackEntry: 0xae,
  trackType: 0x83,
  cluster: 0x1f43b675,
} as const;

/** Matroska TrackType values. */
const TRACK_KIND: Record<number, string> = { 1: 'video', 2: 'audio', 17: 'subtitle' };

/** The start of a file: WebM/Matroska writers put `Tracks` before the first `Cluster`. */
const HEAD_BYTES = 64 * 1024;

interface Element {
  id: number;
  /** Offset of the payload. */
  start: number;
  /** End of the payload; the end of the buffer for an unknown size. */
  end: number;
}

/** A variable-length integer at `at`: its value and length; the id form keeps its marker bit. */
function vint(buf: Buffer, at: number, keepMarker: boolean): { value: number; length: number } | null {
  const first = buf[at];
  if (first === undefined || first === 0) return null;
  const length = Math.clz32(first) - 23; // 1…8
  if (at + length > buf.length || length > 8) return null;
  let value = keepMarker ? first : first & (0xff >> length);
  let allOnes = value === 0xff >> length;
  for (let i = 1; i < length; i++) {
    const byte = buf[at + i]!;
    value = value * 256 + byte;
    allOnes &&= byte === 0xff;
  }
  // A size of all ones means "unknown" (live recordings such as MediaRecorder's).
  return { value: !keepMarker && allOnes ? -1 : value, length };
}

/** The elements between `from` and `to`, stopping at the first unreadable one. */
function elements(buf: Buffer, from: number, to: number): Element[] {
  const out: Element[] = [];
  let at = from;
  while (at < to && out.length < 256) {
    const id = vint(buf, at, true);
    const size = id && vint(buf, at + id.length, false);
    if (!id || !size) break;
    const start = at + id.length + size.length;
    const end = size.value < 0 ? to : Math.min(to, start + size.value);
    out.push({ id: id.value, start, end });
    if (size.value < 0 || start + size.value > to) break; // unknown or cut off: nothing follows
    at = end;
  }
  return out;
}

/**
 * The kinds of the tracks of a WebM/Matroska file (`video`, `audio`, `subtitle`), read from
 * `Segment/Tracks` in the first 64 KB. Empty when they are not found there.
 */
export async function webmTrackKinds(path: string): Promise<string[]> {
  const fh = await open(path, 'r');
  let head: Buffer;
  try {
    const buf = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await fh.read(buf, 0, HEAD_BYTES, 0);
    head = buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
  const segment = elements(head, 0, head.length).find((e) => e.id === ID.segment);
  if (!segment) return [];
  const kinds: string[] = [];
  for (const child of elements(head, segment.start, segment.end)) {
    if (child.id === ID.cluster) break;
    if (child.id !== ID.tracks) continue;
    for (const entry of elements(head, child.start, child.end)) {
      if (entry.id !== ID.trackEntry) continue;
      const type = elements(head, entry.start, entry.end).find((e) => e.id === ID.trackType);
      if (type && type.end - type.start >= 1 && type.end - type.start <= 4) {
        kinds.push(TRACK_KIND[head.readUIntBE(type.start, type.end - type.start)] ?? 'other');
      }
    }
  }
  return kinds;
}
