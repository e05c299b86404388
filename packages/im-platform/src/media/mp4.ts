import { open, type FileHandle } from 'node:fs/promises';

export interface VideoInfo {
  /** Seconds. */
  duration?: number;
  width?: number;
  height?: number;
  /** Handler types of the tracks (`vide`, `soun`, …), in file order. */
  tracks?: string[];
}

interface Box {
  type: string;
  /** Offset of the payload. */
  start: number;
  end: number;
}

async function readBoxes(fh: FileHandle, from: number, to: number): Promise<Box[]> {
  const boxes: Box[] = [];
  const head = Buffer.alloc(16);
  let pos = from;
  while (pos + 8 <= to && boxes.length < 1000) {
    const { bytesRead } = await fh.read(head, 0, 16, pos);
    if (bytesRead < 8) break;
    let size = head.readUInt32BE(0);
    const type = head.toString('latin1', 4, 8);
    let headerSize = 8;
    if (size === 1) {
      if (bytesRead < 16) break;
      size = Number(head.readBigUInt64BE(8));
      headerSize = 16;
    } else if (size === 0) {
      size = to - pos;
    }
    if (size < headerSize || pos + size > to) break;
    boxes.push({ type, start: pos + headerSize, end: pos + size });
    pos += size;
  }
  return boxes;
}

async function payload(fh: FileHandle, box: Box, max: number): Promise<Buffer> {
  const length = Math.min(max, box.end - box.start);
  const buf = Buffer.alloc(length);
  await fh.read(buf, 0, length, box.start);
  return buf;
}

/** The handler type of a `trak` (`moov/trak/mdia/hdlr`): `vide`, `soun`, `text`… */
async function handlerOf(fh: FileHandle, trak: Box): Promise<string | undefined> {
  const mdia = (await readBoxes(fh, trak.start, trak.end)).find((b) => b.type === 'mdia');
  const hdlr = mdia && (await readBoxes(fh, mdia.start, mdia.end)).find((b) => b.type === 'hdlr');
  if (!hdlr) return undefined;
  const p = await payload(fh, hdlr, 12); // version+flags, pre_defined, handler_type
  return p.length === 12 ? p.toString('latin1', 8, 12) : undefined;
}

/**
 * Duration, picture size and track kinds of an MP4/MOV file from its `moov/mvhd`, the first
 * video track's `tkhd` and each track's `hdlr`, reading only box headers (the `moov` box may
 * sit at the end of a 100 MiB file). Anything unreadable yields `{}`; the values are
 * informative only.
 */
export async function probeMp4(path: string, size: number): Promise<VideoInfo> {
  const fh = await open(path, 'r');
  try {
    const moov = (await readBoxes(fh, 0, size)).find((b) => b.type === 'moov');
    if (!moov) return {};
    const info: VideoInfo = {};
    const children = await readBoxes(fh, moov.start, moov.end);
    const mvhd = children.find((b) => b.type === 'mvhd');
    if (mvhd) {
      const p = await payload(fh, mvhd, 32);
      const v1 = p[0] === 1;
      const timescale = v1 ? p.readUInt32BE(20) : p.readUInt32BE(12);
      const duration = v1 ? Number(p.readBigUInt64BE(24)) : p.readUInt32BE(16);
      if (timescale > 0) info.duration = Math.round((duration / timescale) * 1000) / 1000;
    }
    const traks = children.filter((b) => b.type === 'trak');
    info.tracks = [];
    for (const trak of traks) {
      const handler = await handlerOf(fh, trak);
      if (handler) info.tracks.push(handler);
    }
    for (const trak of traks) {
      const tkhd = (await readBoxes(fh, trak.start, trak.end)).find((b) => b.type === 'tkhd');
      if (!tkhd) continue;
      const p = await payload(fh, tkhd, 96);
      const at = p[0] === 1 ? 88 : 76; // width, height: 16.16 fixed point at the end
      if (p.length < at + 8) continue;
      const width = p.readUInt32BE(at) >>> 16;
      const height = p.readUInt32BE(at + 4) >>> 16;
      if (width > 0 && height > 0) {
        info.width = width;
        info.height = height;
        break;
      }
    }
    return info;
  } catch {
    return {};
  } finally {
    await fh.close();
  }
}
