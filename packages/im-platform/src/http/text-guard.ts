import type { Api } from './api';
import { AppError, CommonErrors } from '../errors';

/** Max nesting of a JSON body: deeper bodies are refused before any walk. */
export const MAX_JSON_DEPTH = 32;

/**
 * The first place in `value` holding a NUL character (a string or a key), as a field path
 * (`body.content`, `query.name`), or null. PostgreSQL cannot store NUL in text and no field
 * of box-im needs one, so such input is refused at validation on every engine alike.
 */
export function findNul(value: unknown, path: string, depth = 0): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (value === null || typeof value !== 'object') return null;
  if (depth > MAX_JSON_DEPTH) return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findNul(value[i], `${path}[${i}]`, depth + 1);
      if (found) return found;
    }
    return null;
  }
  for (const [key, item] of Object.entries(value)) {
    if (key.includes('\u0000')) return path;
    const found = findNul(item, `${path}.${key}`, depth + 1);
    if (found) return found;
  }
  return null;
}

/**
 * Whether `value` holds a NUL character anywhere (`findNul` without building paths: every
 * request is checked, almost none has one).
 */
function hasNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (value === null || typeof value !== 'object' || depth > MAX_JSON_DEPTH) return false;
  if (Array.isArray(value)) {
    for (const item of value) if (hasNul(item, depth + 1)) return true;
    return false;
  }
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    if (key.includes('\u0000') || hasNul((value as Record<string, unknown>)[key], depth + 1)) return true;
  }
  return false;
}

/** Depth of nested arrays/objects, stopping once past `limit`. */
export function depthExceeds(value: unknown, limit = MAX_JSON_DEPTH, depth = 0): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (depth >= limit) return true;
  if (Array.isArray(value)) {
    for (const item of value) if (depthExceeds(item, limit, depth + 1)) return true;
    return false;
  }
  for (const key in value) {
    if (Object.hasOwn(value, key) && depthExceeds((value as Record<string, unknown>)[key], limit, depth + 1))
      return true;
  }
  return false;
}

/** Refuse NUL characters in the query string and path parameters of every request. */
export function installTextGuard(app: Api): void {
  app.addHook('preValidation', (request, _reply, done) => {
    const { query, params, body } = request;
    if (!hasNul(query) && !hasNul(params) && !hasNul(body)) return done();
    const field = findNul(query, 'query') ?? findNul(params, 'params') ?? findNul(body, 'body');
    done(field ? new AppError(CommonErrors.NUL_CHARACTER, { field }) : undefined);
  });
}
