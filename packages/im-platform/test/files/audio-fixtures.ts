/**
 * Small, well-formed voice recordings built by hand (no ffmpeg on the machine): what
 * box-im's app uploads as `<time>.mp3` — an MP3 from the app's recorder, a WebM/Opus from
 * MediaRecorder in its H5 build — and audio-only MP4 and Ogg files, plus a WebM with a
 * video track for contrast.
 */
import { box } from './media-fixtures';

/** `frames` MPEG-1 Layer III frames (128 kbit/s, 44.1 kHz, mono) of silence, after an ID3v2 tag. */
export function makeMp3(frames = 20): Buffer {
  const id3 = Buffer.from([0x49, 0x44, 0x33, 3, 0, 0, 0, 0, 0, 0]); // "ID3" v2.3, empty
  const frame = Buffer.alloc(417); // 144 × 128000 / 44100
  frame.set([0xff, 0xfb, 0x90, 0xc4]); // sync, MPEG-1 L3, 128k, 44.1k, mono
  return Buffer.concat([id3, ...Array.from({ length: frames }, () => frame)]);
}

// --- EBML (WebM) ---

function ebmlSize(length: number): Buffer {
  for (let bytes = 1; bytes <= 8; bytes++) {
    if (length < 2 ** (7 * bytes) - 1) {
      const out = Buffer.alloc(bytes);
      let rest = length;
      for (let i = bytes - 1; i >= 0; i--) {
        out[i] = rest % 256;
        rest = Math.floor(rest / 256);
      }
      out[0]! |= 0x80 >> (bytes - 1);
      return out;
    }
  }
  throw new Error('too long');
}

/** An unsigned integer in as few big-endian bytes as it needs. */
function uint(value: number): Buffer {
  const bytes: number[] = [];
  do {
    bytes.unshift(value % 256);
    value = Math.floor(value / 256);
  } while (value > 0);
  return Buffer.from(bytes);
}

/** An element: its id, size and payload (numbers as unsigned integers, strings as ASCII). */
function el(id: number, ...payload: (Buffer | string | number)[]): Buffer {
  const body = Buffer.concat(
    payload.map((p) => (Buffer.isBuffer(p) ? p : typeof p === 'string' ? Buffer.from(p, 'latin1') : uint(p))),
  );
  const hex = id.toString(16);
  return Buffer.concat([Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex'), ebmlSize(body.length), body]);
}

const UNKNOWN_SIZE = Buffer.from([0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);

function float64(value: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeDoubleBE(value);
  return b;
}

/** The identification header of an Opus stream (RFC 7845). */
function opusHead(): Buffer {
  const head = Buffer.alloc(19);
  head.write('OpusHead', 0, 'latin1');
  head[8] = 1; // version
  head[9] = 1; // channels
  head.writeUInt16LE(312, 10); // pre-skip
  head.writeUInt32LE(48000, 12);
  return head;
}

/**
 * A WebM as MediaRecorder writes it: EBML header, a Segment and a Cluster of unknown size,
 * one Opus audio track (plus a VP8 video track when `withVideo`), 20 ms blocks of silence.
 */
export function makeWebm(withVideo = false, blocks = 25): Buffer {
  const audio = el(
    0xae,
    el(0xd7, 1), // TrackNumber
    el(0x73c5, 1), // TrackUID
    el(0x83, 2), // TrackType audio
    el(0x86, 'A_OPUS'),
    el(0x63a2, opusHead()), // CodecPrivate
    el(0xe1, el(0xb5, float64(48000)), el(0x9f, 1)), // Audio: SamplingFrequency, Channels
  );
  const video = el(
    0xae,
    el(0xd7, 2),
    el(0x73c5, 2),
    el(0x83, 1), // TrackType video
    el(0x86, 'V_VP8'),
    el(0xe0, el(0xb0, 320), el(0xba, 240)), // Video: PixelWidth, PixelHeight
  );
  const silence = Buffer.from([0xf8, 0xff, 0xfe]); // an Opus frame of silence
  const simpleBlocks = Array.from({ length: blocks }, (_, i) => {
    const block = Buffer.alloc(4);
    block[0] = 0x81; // track 1
    block.writeInt16BE(i * 20, 1); // timecode (ms)
    block[3] = 0x80; // keyframe
    return el(0xa3, block, silence);
  });
  return Buffer.concat([
    el(
      0x1a45dfa3,
      el(0x4286, 1),
      el(0x42f7, 1),
      el(0x42f2, 4),
      el(0x42f3, 8),
      el(0x4282, 'webm'),
      el(0x4287, 4),
      el(0x4285, 2),
    ),
    Buffer.from([0x18, 0x53, 0x80, 0x67]),
    UNKNOWN_SIZE,
    el(0x1549a966, el(0x2ad7b1, 1_000_000), el(0x4d80, 'test'), el(0x5741, 'test')), // Info
    el(0x1654ae6b, audio, ...(withVideo ? [video] : [])), // Tracks
    Buffer.from([0x1f, 0x43, 0xb6, 0x75]),
    UNKNOWN_SIZE,
    el(0xe7, 0), // Cluster Timecode
    ...simpleBlocks,
  ]);
}

// --- MP4 ---

function fullBox(type: string, body: Buffer): Buffer {
  return box(type, Buffer.alloc(4), body); // version 0, flags 0
}

function u32(...values: number[]): Buffer {
  const b = Buffer.alloc(4 * values.length);
  values.forEach((v, i) => b.writeUInt32BE(v >>> 0, i * 4));
  return b;
}

/** A silent AAC-LC frame (mono, 1024 samples). */
const AAC_SILENCE = Buffer.from([0x21, 0x10, 0x04, 0x60, 0x8c, 0x1c]);
const IDENTITY = u32(0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000);

/** The `esds` of AAC-LC, 44.1 kHz, mono. */
function esds(): Buffer {
  const specific = Buffer.from([0x05, 0x02, 0x12, 0x08]);
  const decoderConfig = Buffer.concat([Buffer.from([0x04, 0x11, 0x40, 0x15]), Buffer.alloc(11), specific]);
  const es = Buffer.concat([
    Buffer.from([0x03, 0x19, 0, 1, 0]),
    decoderConfig,
    Buffer.from([0x06, 0x01, 0x02]),
  ]);
  return fullBox('esds', es);
}

/**
 * An MP4 (brand `isom`, as Android recorders write it) with one AAC sound track of
 * `seconds` of silence and no video track; `moov` after `mdat`.
 */
export function makeAudioMp4(seconds = 2): Buffer {
  const rate = 44100;
  const samples = Math.ceil((seconds * rate) / 1024);
  const ftyp = box('ftyp', Buffer.from('isom', 'latin1'), u32(0x200), Buffer.from('isomiso2mp41', 'latin1'));
  const mdat = box('mdat', ...Array.from({ length: samples }, () => AAC_SILENCE));
  const ms = seconds * 1000;
  const mvhd = Buffer.concat([
    u32(0, 0, 1000, ms, 0x10000),
    Buffer.from([1, 0]),
    Buffer.alloc(10),
    IDENTITY,
    Buffer.alloc(24),
    u32(2),
  ]);
  const tkhd = Buffer.concat([u32(0, 0, 1, 0, ms, 0, 0, 0), Buffer.from([1, 0, 0, 0]), IDENTITY, u32(0, 0)]);
  const mdhd = Buffer.concat([u32(0, 0, rate, samples * 1024), Buffer.from([0x55, 0xc4, 0, 0])]);
  const hdlr = Buffer.concat([
    u32(0),
    Buffer.from('soun', 'latin1'),
    Buffer.alloc(12),
    Buffer.from('SoundHandler\0', 'latin1'),
  ]);
  const mp4a = box(
    'mp4a',
    Buffer.from([0, 0, 0, 0, 0, 0, 0, 1]), // reserved, data reference 1
    Buffer.alloc(8),
    Buffer.from([0, 1, 0, 16, 0, 0, 0, 0]), // 1 channel, 16 bits
    u32(rate * 65536),
    esds(),
  );
  const stbl = box(
    'stbl',
    fullBox('stsd', Buffer.concat([u32(1), mp4a])),
    fullBox('stts', u32(1, samples, 1024)),
    fullBox('stsc', u32(1, 1, samples, 1)),
    fullBox('stsz', u32(AAC_SILENCE.length, samples)),
    fullBox('stco', u32(1, ftyp.length + 8)),
  );
  const dinf = box('dinf', fullBox('dref', Buffer.concat([u32(1), box('url ', u32(1))])));
  const minf = box('minf', fullBox('smhd', u32(0)), dinf, stbl);
  const trak = box(
    'trak',
    box('tkhd', u32(3), tkhd),
    box('mdia', fullBox('mdhd', mdhd), fullBox('hdlr', hdlr), minf),
  );
  return Buffer.concat([ftyp, mdat, box('moov', fullBox('mvhd', mvhd), trak)]);
}

// --- Ogg ---

const OGG_CRC = (() => {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let r = i << 24;
    for (let j = 0; j < 8; j++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
    table[i] = r >>> 0;
  }
  return table;
})();

function oggPage(packet: Buffer, sequence: number, headerType: number, granule = 0): Buffer {
  const head = Buffer.alloc(28);
  head.write('OggS', 0, 'latin1');
  head[5] = headerType;
  head.writeUInt32LE(granule, 6);
  head.writeUInt32LE(0x1234, 14); // stream serial
  head.writeUInt32LE(sequence, 18);
  head[26] = 1; // one segment
  head[27] = packet.length; // (< 255)
  const page = Buffer.concat([head, packet]);
  let crc = 0;
  for (const byte of page) crc = ((crc << 8) ^ OGG_CRC[((crc >>> 24) ^ byte) & 0xff]!) >>> 0;
  page.writeUInt32LE(crc, 22);
  return page;
}

/** An Ogg Opus stream: identification and comment headers, then 25 frames (0.5 s) of silence. */
export function makeOggOpus(): Buffer {
  const tags = Buffer.concat([
    Buffer.from('OpusTags', 'latin1'),
    Buffer.from([4, 0, 0, 0]),
    Buffer.from('test', 'latin1'),
    Buffer.alloc(4),
  ]);
  return Buffer.concat([
    oggPage(opusHead(), 0, 0x02),
    oggPage(tags, 1, 0),
    ...Array.from({ length: 25 }, (_, i) =>
      oggPage(Buffer.from([0xf8, 0xff, 0xfe]), 2 + i, i === 24 ? 0x04 : 0, 312 + (i + 1) * 960),
    ),
  ]);
}
