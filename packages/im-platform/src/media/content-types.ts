/**
 * What the platform serves for each extension it generates. Only types a browser renders
 * harmlessly are served inline; everything else goes out as `application/octet-stream`
 * with `Content-Disposition: attachment` (an uploaded HTML or SVG file must never run as a
 * page of our origin).
 */
const INLINE: Record<string, string> = {
  jpg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  bmp: 'image/bmp',
  wav: 'audio/wav',
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  aac: 'audio/aac',
  ogg: 'audio/ogg',
  weba: 'audio/webm',
  amr: 'audio/amr',
  mp4: 'video/mp4',
  webm: 'video/webm',
  ogv: 'video/ogg',
  mov: 'video/quicktime',
  pdf: 'application/pdf',
};

export interface ServedType {
  type: string;
  /** Served as a download rather than rendered. */
  attachment: boolean;
}

export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot >= 0 && dot > name.lastIndexOf('/') ? name.slice(dot + 1).toLowerCase() : '';
}

/** The served content type of a stored key, from its (generated) extension. */
export function contentTypeOfKey(key: string): ServedType {
  const type = INLINE[extensionOf(key)];
  return type ? { type, attachment: false } : { type: 'application/octet-stream', attachment: true };
}

/** Whether an extension is one we serve inline (so it must match the sniffed bytes). */
export function isInlineExtension(ext: string): boolean {
  return ext in INLINE;
}
