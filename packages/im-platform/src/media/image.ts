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
}

export type ProbeFailure = 'not-image' | 'unsupported' | 'too-many-pixels';

/** Decoding guard against decompression bombs (sharp's default: 16383 × 16383). */
const MAX_PIXELS = 268_402_689;

/**
 * Read an image's header: its real format (from the bytes; SVG, TIFF, HEIF… are refused)
 * and displayed size. Cheap: pixels are not decoded.
 */
export async function probeImage(bytes: Buffer): Promise<ImageInfo | ProbeFailure> {
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: MAX_PIXELS }).metadata();
  } catch {
    return 'not-image';
  }
  const accepted = ACCEPTED[meta.format as keyof typeof ACCEPTED] as
    (typeof ACCEPTED)[keyof typeof ACCEPTED] | undefined;
  if (!accepted) return 'unsupported';
  const pages = meta.pages ?? 1;
  const rawHeight = pages > 1 && meta.pageHeight ? meta.pageHeight : meta.height;
  if (meta.width * rawHeight > MAX_PIXELS) return 'too-many-pixels';
  const swap = (meta.orientation ?? 1) >= 5;
  return {
    format: meta.format as keyof typeof ACCEPTED,
    ext: accepted.ext,
    mime: accepted.mime,
    width: swap ? rawHeight : meta.width,
    height: swap ? meta.width : rawHeight,
    hasAlpha: meta.hasAlpha,
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
 */
export async function makeThumbnail(bytes: Buffer, info: ImageInfo, maxBytes: number): Promise<Thumbnail> {
  const { data, info: raw } = await sharp(bytes, { animated: false, limitInputPixels: MAX_PIXELS })
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
