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

/** Depth of nested arrays/objects, stopping once past `limit`. */
export function depthExceeds(value: unknown, limit = MAX_JSON_DEPTH, depth = 0): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (depth >= limit) return true;
  const items = Array.isArray(value) ? value : Object.values(value);
  return items.some((item) => depthExceeds(item, limit, depth + 1));
}

/** Refuse NUL characters in the query string and path parameters of every request. */
export function installTextGuard(app: Api): void {
  app.addHook('preValidation', (request, _reply, done) => {
    const field =
      findNul(request.query, 'query') ?? findNul(request.params, 'params') ?? findNul(request.body, 'body');
    done(field ? new AppError(CommonErrors.NUL_CHARACTER, { field }) : undefined);
  });
}
