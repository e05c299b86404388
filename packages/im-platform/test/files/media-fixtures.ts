/**
 * Media generated in the test rather than committed: noisy images (so they are well over
 * the 50 KB thumbnail threshold), a JPEG with EXIF orientation 6, an animated GIF, a WebP
 * with transparency, a PCM WAV and a minimal MP4 (box structure only).
 */
import { randomBytes } from 'node:crypto';
import sharp from 'sharp';

function noise(width: number, height: number, channels: 3 | 4): Buffer {
  const px = randomBytes(width * height * channels);
  if (channels === 4) for (let i = 3; i < px.length; i += 4) px[i] = i % 7 === 0 ? 0 : 255;
  return px;
}

const raw = (width: number, height: number, channels: 3 | 4) =>
  sharp(noise(width, height, channels), { raw: { width, height, channels } });

export const makePng = (width = 640, height = 480) => raw(width, height, 3).png().toBuffer();

/** Stored as 800×600 pixels with EXIF orientation 6 (rotate 90° CW): displayed 600×800. */
export const makeRotatedJpeg = () =>
  raw(800, 600, 3).jpeg({ quality: 95 }).withMetadata({ orientation: 6 }).toBuffer();

export const makeJpeg = (width: number, height: number) =>
  raw(width, height, 3).jpeg({ quality: 90 }).toBuffer();

/** Random pixels from a 16-colour palette: incompressible, yet quick to quantise for GIF. */
function paletteNoise(width: number, height: number): Buffer {
  const palette = randomBytes(16 * 3);
  const picks = randomBytes(width * height);
  const px = Buffer.alloc(width * height * 3);
  for (let i = 0; i < picks.length; i++)
    palette.copy(px, i * 3, ((picks[i] ?? 0) & 15) * 3, ((picks[i] ?? 0) & 15) * 3 + 3);
  return px;
}

/** Three frames of 320×240. */
export async function makeAnimatedGif(): Promise<Buffer> {
  const frames = await Promise.all(
    [0, 1, 2].map(() =>
      sharp(paletteNoise(320, 240), { raw: { width: 320, height: 240, channels: 3 } })
        .png()
        .toBuffer(),
    ),
  );
  return sharp(frames, { join: { animated: true } })
    .gif({ delay: [100, 100, 100] })
    .toBuffer();
}

export const makeWebp = (width = 500, height = 400) => raw(width, height, 4).webp({ quality: 95 }).toBuffer();

/** 16-bit mono PCM, 8 kHz, `seconds` long. */
export function makeWav(seconds = 1): Buffer {
  const rate = 8000;
  const data = Buffer.alloc(rate * 2 * seconds);
  for (let i = 0; i < rate * seconds; i++) data.writeInt16LE(Math.round(Math.sin(i / 4) * 8000), i * 2);
  const head = Buffer.alloc(44);
  head.write('RIFF', 0, 'latin1');
  head.writeUInt32LE(36 + data.length, 4);
  head.write('WAVEfmt ', 8, 'latin1');
  head.writeUInt32LE(16, 16);
  head.writeUInt16LE(1, 20);
  head.writeUInt16LE(1, 22);
  head.writeUInt32LE(rate, 24);
  head.writeUInt32LE(rate * 2, 28);
  head.writeUInt16LE(2, 32);
  head.writeUInt16LE(16, 34);
  head.write('data', 36, 'latin1');
  head.writeUInt32LE(data.length, 40);
  return Buffer.concat([head, data]);
}

/** An MP4 box: size, type, payload. */
export function box(type: string, ...payload: Buffer[]): Buffer {
  const body = Buffer.concat(payload);
  const head = Buffer.alloc(8);
  head.writeUInt32BE(8 + body.length, 0);
  head.write(type, 4, 'latin1');
  return Buffer.concat([head, body]);
}

/**
 * An MP4 with `ftyp`, a `mdat` of `mdatBytes` random bytes and a trailing `moov` (as
 * phones write it) whose `mvhd` says `seconds` and whose video `tkhd` says width×height.
 */
export function makeMp4(seconds: number, width: number, height: number, mdatBytes = 4096): Buffer {
  const ftyp = box(
    'ftyp',
    Buffer.from('isom', 'latin1'),
    Buffer.from([0, 0, 2, 0]),
    Buffer.from('isomiso2mp41', 'latin1'),
  );
  const mvhd = Buffer.alloc(100);
  mvhd.writeUInt32BE(1000, 12); // timescale
  mvhd.writeUInt32BE(Math.round(seconds * 1000), 16); // duration
  const tkhd = Buffer.alloc(84);
  tkhd.writeUInt32BE(width << 16, 76);
  tkhd.writeUInt32BE(height << 16, 80);
  const moov = box('moov', box('mvhd', mvhd), box('trak', box('tkhd', tkhd)));
  return Buffer.concat([ftyp, box('mdat', randomBytes(mdatBytes)), moov]);
}
