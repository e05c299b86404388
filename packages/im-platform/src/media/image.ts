import sharp, { type Metadata } from 'sharp';

/** Image formats accepted for upload: what every browser and the mobile app render. */
const ACCEPTED = {
  jpeg: { ext: 'jpg', mime: 'image/jpeg' },
  png: { ext: 'png', mime: 'image/png' },
  gif: { ext: 'gif', mime: 'image/gif' },
  webp: { ext: 'webp', mime: 'image/webp' },
} as const;

export interface ImageInfo {
  format: keyof typeof ACCEPTED;
  ext: string;
  mime: string;
  /** Displayed size: EXIF orientation applied, one frame of an animation. */
  width: number;
  height: number;
  hasAlpha: boolean;
  /** Pixels of one (stored, unrotated) frame, as checked against the limit. */
  pixels: number;
}

export type ImageProbe =
  | { ok: true; info: ImageInfo }
  | { ok: false; reason: 'not-image' | 'unsupported' }
  | { ok: false; reason: 'too-large'; width: number; height: number; maxPixels: number };

/**
 * The most pixels one frame may have. JPEG, WebP and plain PNG are decoded as a stream
 * (JPEG and WebP even shrink while decoding), so a 50 MP photo costs tens of MB. A GIF frame
 * and an interlaced PNG (its rows arrive in 7 passes) are held whole in memory, several
 * bytes per pixel: they get a quarter of the budget.
 */
export function framePixelLimit(format: string, interlaced: boolean, maxPixels: number): number {
  return format === 'gif' || (format === 'png' && interlaced) ? Math.floor(maxPixels / 4) : maxPixels;
}

/** All frames of an animation together (browsers decode them all to play it). */
const ANIMATION_FACTOR = 4;

/**
 * Read an image's header: its real format (from the bytes; SVG, TIFF, HEIF… are refused),
 * its displayed size, and whether decoding it would stay within `maxPixels` (see
 * `framePixelLimit`). Cheap: no pixel is decoded, whatever size the header claims.
 */
export async function probeImage(bytes: Buffer, maxPixels: number): Promise<ImageProbe> {
  let meta: Metadata;
  try {
    // No pixel limit here: the header is read, never the pixels, and the limit is ours below.
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch {
    return { ok: false, reason: 'not-image' };
  }
  const accepted = ACCEPTED[meta.format as keyof typeof ACCEPTED] as
    (typeof ACCEPTED)[keyof typeof ACCEPTED] | undefined;
  if (!accepted) return { ok: false, reason: 'unsupported' };
  const pages = meta.pages ?? 1;
  const rawHeight = pages > 1 && meta.pageHeight ? meta.pageHeight : meta.height;
  const limit = framePixelLimit(meta.format, meta.isProgressive === true, maxPixels);
  const frame = meta.width * rawHeight;
  if (frame > limit || frame * pages > maxPixels * ANIMATION_FACTOR) {
    return { ok: false, reason: 'too-large', width: meta.width, height: rawHeight, maxPixels: limit };
  }
  const swap = (meta.orientation ?? 1) >= 5;
  return {
    ok: true,
    info: {
      format: meta.format as keyof typeof ACCEPTED,
      ext: accepted.ext,
      mime: accepted.mime,
      width: swap ? rawHeight : meta.width,
      height: swap ? meta.width : rawHeight,
      hasAlpha: meta.hasAlpha,
      pixels: frame,
    },
  };
}

export interface Thumbnail {
  bytes: Buffer;
  ext: 'jpg' | 'webp';
  mime: string;
  width: number;
  height: number;
}

/** Longest side of a thumbnail before any size-driven shrinking (clients show ≤ 360 px). */
const START_SIDE = 720;
const MIN_QUALITY = 50;
const MIN_SIDE = 16;

/**
 * A still thumbnail of at most `maxBytes`: EXIF orientation applied, metadata stripped,
 * first frame of animations. JPEG, or WebP when the image has transparency. The image is
 * decoded once (shrink-on-load for JPEG) to ≤ 720 px; then quality and size step down
 * (size by the measured byte ratio, so two or three encodes suffice) until the output fits.
 * `info` must come from `probeImage`.
 */
export async function makeThumbnail(bytes: Buffer, info: ImageInfo, maxBytes: number): Promise<Thumbnail> {
  // The probe has checked the size; the decoder enforces it too, as a second guard.
  const { data, info: raw } = await sharp(bytes, {
    animated: false,
    limitInputPixels: info.pixels,
    sequentialRead: true,
  })
    .autoOrient()
    .resize({ width: START_SIDE, height: START_SIDE, fit: 'inside', withoutEnlargement: true })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const webp = info.hasAlpha;
  let side = Math.max(raw.width, raw.height);
  let quality = 80;
  let last: Thumbnail | undefined;
  for (let round = 0; round < 10; round++) {
    const pipeline = sharp(data, {
      raw: { width: raw.width, height: raw.height, channels: raw.channels },
    }).resize({
      width: side,
      height: side,
      fit: 'inside',
      withoutEnlargement: true,
    });
    const out = await (
      webp
        ? pipeline.webp({ quality })
        : pipeline.flatten({ background: '#ffffff' }).jpeg({ quality, mozjpeg: true })
    ).toBuffer({ resolveWithObject: true });
    last = {
      bytes: out.data,
      ext: webp ? 'webp' : 'jpg',
      mime: webp ? 'image/webp' : 'image/jpeg',
      width: out.info.width,
      height: out.info.height,
    };
    const ratio = maxBytes / out.data.length;
    if (ratio >= 1 || side <= MIN_SIDE) return last;
    // Slightly over: lower the quality first; far over: shrink by the area ratio.
    if (ratio > 0.75 && quality > MIN_QUALITY) quality -= 15;
    else side = Math.max(MIN_SIDE, Math.floor(side * Math.sqrt(ratio) * 0.95));
  }
  return last!;
}
