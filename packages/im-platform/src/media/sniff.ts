import { isInlineExtension } from './content-types';

/**
 * The type of a file from its first bytes (magic numbers), never from its name or the
 * client's Content-Type. Covers what chat clients upload: images, voice, video, PDF.
 */
export interface Sniffed {
  kind: 'image' | 'audio' | 'video' | 'document';
  /** Extension used for the generated key. */
  ext: string;
  mime: string;
}

const ascii = (buf: Buffer, start: number, end: number) => buf.subarray(start, end).toString('latin1');

/**
 * Needs the first 64 bytes (fewer is fine for short files). WebM and MP4 are containers:
 * `byTracks` tells audio from video by their tracks.
 */
export function sniff(head: Buffer): Sniffed | null {
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff)
    return { kind: 'image', ext: 'jpg', mime: 'image/jpeg' };
  if (ascii(head, 0, 8) === '\x89PNG\r\n\x1a\n') return { kind: 'image', ext: 'png', mime: 'image/png' };
  if (ascii(head, 0, 6) === 'GIF87a' || ascii(head, 0, 6) === 'GIF89a')
    return { kind: 'image', ext: 'gif', mime: 'image/gif' };
  if (ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'WEBP')
    return { kind: 'image', ext: 'webp', mime: 'image/webp' };
  if (ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'WAVE')
    return { kind: 'audio', ext: 'wav', mime: 'audio/wav' };
  if (ascii(head, 0, 2) === 'BM' && head.length >= 26 && head.readUInt32LE(2) > 26)
    return { kind: 'image', ext: 'bmp', mime: 'image/bmp' };
  if (ascii(head, 0, 4) === 'OggS') {
    // The first packet (after the 27-byte page header and its segment table) names the codec.
    const packet = 27 + (head[26] ?? 0);
    if (ascii(head, packet, packet + 7) === '\x80theora')
      return { kind: 'video', ext: 'ogv', mime: 'video/ogg' };
    return { kind: 'audio', ext: 'ogg', mime: 'audio/ogg' };
  }
  if (ascii(head, 0, 5) === '#!AMR') return { kind: 'audio', ext: 'amr', mime: 'audio/amr' };
  if (
    ascii(head, 0, 3) === 'ID3' ||
    (head.length >= 2 &&
      head[0] === 0xff &&
      ((head[1] ?? 0) & 0xe0) === 0xe0 &&
      ((head[1] ?? 0) & 0x06) !== 0)
  ) {
    return { kind: 'audio', ext: 'mp3', mime: 'audio/mpeg' };
  }
  // AAC in ADTS frames: sync word 0xFFF, layer 00 (MP3 frames have a non-zero layer).
  if (head.length >= 2 && head[0] === 0xff && ((head[1] ?? 0) & 0xf6) === 0xf0)
    return { kind: 'audio', ext: 'aac', mime: 'audio/aac' };
  if (ascii(head, 0, 5) === '%PDF-') return { kind: 'document', ext: 'pdf', mime: 'application/pdf' };
  if (head.length >= 4 && head.readUInt32BE(0) === 0x1a45dfa3)
    return { kind: 'video', ext: 'webm', mime: 'video/webm' };
  if (ascii(head, 4, 8) === 'ftyp') {
    const brand = ascii(head, 8, 12);
    if (brand === 'M4A ' || brand === 'M4B ') return { kind: 'audio', ext: 'm4a', mime: 'audio/mp4' };
    if (brand === 'qt  ') return { kind: 'video', ext: 'mov', mime: 'video/quicktime' };
    if (/^(heic|heix|mif1|msf1|avif)$/.test(brand)) return null; // HEIF stills: not served inline
    return { kind: 'video', ext: 'mp4', mime: 'video/mp4' };
  }
  return null;
}

/**
 * The extension of a stored generic file: the sniffed one when the bytes are known;
 * otherwise the client's extension if it is plain (`[a-z0-9]{1,10}`) and not one we serve
 * inline (a text file called `x.png` is stored as `.bin`, never served as an image).
 */
export function fileExtension(sniffed: Sniffed | null, clientName: string): string {
  if (sniffed) return sniffed.ext;
  const dot = clientName.lastIndexOf('.');
  const ext = dot >= 0 ? clientName.slice(dot + 1).toLowerCase() : '';
  if (!/^[a-z0-9]{1,10}$/.test(ext)) return 'bin';
  if (isInlineExtension(ext) || ext === 'jpeg') return 'bin';
  return ext;
}
