import { AppError, AuthErrors } from '../errors';
import { FILES_PATH } from './file.service';

/**
 * Whether `value` may be shown as an avatar: empty (none), an http(s) URL with a host and
 * no credentials, or one of our uploads by path (`/files/…`, as a relative URL). Anything
 * else (`javascript:`, `data:`, `//other.host/…`, garbage) is not an image address clients
 * should load.
 */
export function isImageUrl(value: string): boolean {
  if (value === '') return true;
  if (/[\s\\]/u.test(value)) return false;
  if (value.startsWith(`${FILES_PATH}/`)) return !value.split(/[/?#]/u).includes('..');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return (
    (url.protocol === 'http:' || url.protocol === 'https:') &&
    url.hostname !== '' &&
    url.username === '' &&
    url.password === ''
  );
}

/**
 * Refuse `value` unless it is an acceptable avatar address (see isImageUrl) or the one
 * stored already (`current`: clients post whole objects back, old rows keep what they had).
 */
export function checkImageUrl(value: string | undefined, field: string, current?: string | null): void {
  if (value === undefined || value === current) return;
  if (!isImageUrl(value)) throw new AppError(AuthErrors.BAD_IMAGE_URL, { field });
}
