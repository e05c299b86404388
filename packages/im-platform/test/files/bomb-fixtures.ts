/**
 * Decompression bombs, built by hand in a few milliseconds: tiny files that claim (and,
 * when decoded, really produce) hundreds of megapixels.
 * - a single-colour GIF whose LZW stream covers every pixel (16383² in ~180 KB);
 * - an interlaced (Adam7) 1-bit palette PNG of zeros (16383² in ~33 KB; a decoder expands
 *   it to 8-bit RGB and must hold the whole image, since interlaced rows come in 7 passes).
 * Also plain versions of both, used at the accepted limits. Each call picks a random colour,
 * so no two bombs are the same bytes (uploads of the same bytes are de-duplicated).
 */
import { randomBytes } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';

/** LSB-first bit packing, as GIF's LZW codes are written. */
class BitWriter {
  private readonly bytes: number[] = [];
  private acc = 0;
  private bits = 0;
  write(code: number, size: number): void {
    this.acc |= code << this.bits;
    this.bits += size;
    while (this.bits >= 8) {
      this.bytes.push(this.acc & 0xff);
      this.acc >>>= 8;
      this.bits -= 8;
    }
  }
  finish(): Buffer {
    if (this.bits > 0) this.bytes.push(this.acc & 0xff);
    return Buffer.from(this.bytes);
  }
}

/**
 * The LZW codes of `count` pixels of colour index 0 (min code size 2): the dictionary only
 * ever holds runs of zeros, so each code covers one pixel more than the previous one, and
 * a full dictionary (4096 codes) is cleared and started again.
 */
function lzwOfZeros(count: number): Buffer {
  const CLEAR = 4;
  const END = 5;
  const out = new BitWriter();
  let size = 3;
  let next = 6;
  let longest = 1;
  out.write(CLEAR, size);
  for (let left = count; left > 0;) {
    const run = Math.min(longest, left);
    out.write(run === 1 ? 0 : END + run - 1, size);
    left -= run;
    if (left === 0) break;
    if (next === 4096) {
      out.write(CLEAR, size);
      size = 3;
      next = 6;
      longest = 1;
    } else {
      if (next >= 1 << size) size++;
      next++;
      longest++;
    }
  }
  out.write(END, size);
  return out.finish();
}

function subBlocks(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  for (let at = 0; at < data.length; at += 255) {
    const piece = data.subarray(at, at + 255);
    parts.push(Buffer.from([piece.length]), piece);
  }
  parts.push(Buffer.from([0]));
  return Buffer.concat(parts);
}

/** A GIF of one colour, `width`×`height` (default 16383², ~180 KB). */
export function makeSolidGif(width = 16383, height = 16383): Buffer {
  const screen = Buffer.alloc(13);
  screen.write('GIF89a', 0, 'latin1');
  screen.writeUInt16LE(width, 6);
  screen.writeUInt16LE(height, 8);
  screen[10] = 0x80; // global colour table of 2 entries
  const palette = randomBytes(6);
  const descriptor = Buffer.alloc(10);
  descriptor[0] = 0x2c;
  descriptor.writeUInt16LE(width, 5);
  descriptor.writeUInt16LE(height, 7);
  return Buffer.concat([
    screen,
    palette,
    descriptor,
    Buffer.from([2]),
    subBlocks(lzwOfZeros(width * height)),
    Buffer.from([0x3b]),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const;

/** Bytes of the filtered scanlines of a 1-bit image, per pass when interlaced. */
function scanlineBytes(width: number, height: number, interlaced: boolean): number {
  const passes = interlaced ? ADAM7 : ([[0, 0, 1, 1]] as const);
  let total = 0;
  for (const [x0, y0, dx, dy] of passes) {
    const cols = width > x0 ? Math.ceil((width - x0) / dx) : 0;
    const rows = height > y0 ? Math.ceil((height - y0) / dy) : 0;
    if (cols > 0 && rows > 0) total += rows * (1 + Math.ceil(cols / 8));
  }
  return total;
}

/** A 1-bit palette PNG of one colour (default: interlaced 16383², ~33 KB). */
export function makeSolidPng(width = 16383, height = 16383, interlaced = true): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 1; // bit depth
  ihdr[9] = 3; // palette
  ihdr[12] = interlaced ? 1 : 0;
  return Buffer.concat([
    Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'),
    chunk('IHDR', ihdr),
    chunk('PLTE', randomBytes(3)),
    chunk('IDAT', deflateSync(Buffer.alloc(scanlineBytes(width, height, interlaced)), { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
