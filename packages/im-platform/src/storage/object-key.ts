import { randomBytes } from 'node:crypto';

/** Top-level folders of keys, one per kind of upload (box-im: `image/`, `file/`, `video/`). */
export type KeyFolder = 'image' | 'file' | 'video';

const KEY_PATTERN = /^[a-z0-9][a-z0-9_-]*(\/[a-z0-9][a-z0-9_-]*)*(\.[a-z0-9]{1,10})?$/;

/**
 * A fresh key: `{folder}/{yyyyMMdd}/{32 random hex}[-suffix].{ext}`. The extension comes from
 * the sniffed type (or a sanitised one); nothing else of the client's file name is used.
 */
export function newObjectKey(folder: KeyFolder, ext: string, now = new Date(), suffix = ''): string {
  const day = `${now.getUTCFullYear()}${String(now.getUTCMonth() + 1).padStart(2, '0')}${String(now.getUTCDate()).padStart(2, '0')}`;
  const id = randomBytes(16).toString('hex');
  const cleanExt =
    ext
      .toLowerCase()
      .replace(/[^a-z0-9]/g, '')
      .slice(0, 10) || 'bin';
  return `${folder}/${day}/${id}${suffix ? `-${suffix}` : ''}.${cleanExt}`;
}

/** The key of a thumbnail or cover stored next to its original. */
export function siblingKey(key: string, suffix: string, ext: string): string {
  const dot = key.lastIndexOf('.');
  const stem = dot > key.lastIndexOf('/') ? key.slice(0, dot) : key;
  return `${stem}-${suffix}.${ext}`;
}

/**
 * Whether a key is one the platform could have generated: lower-case segments of
 * `[a-z0-9_-]`, an optional extension, no `..`, no leading slash, at most 200 chars.
 * Anything else (path traversal, encoded separators, dot files) is refused by every driver.
 */
export function isValidKey(key: string): boolean {
  return key.length > 0 && key.length <= 200 && KEY_PATTERN.test(key);
}

export class InvalidKeyError extends Error {
  constructor(key: string) {
    super(`invalid object key: ${JSON.stringify(key.slice(0, 80))}`);
    this.name = 'InvalidKeyError';
  }
}

export function assertValidKey(key: string): void {
  if (!isValidKey(key)) throw new InvalidKeyError(key);
}
