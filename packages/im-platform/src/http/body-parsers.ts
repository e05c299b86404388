import type { Api } from './api';
import { AppError, CommonErrors } from '../errors';
import { depthExceeds, MAX_JSON_DEPTH } from './text-guard';

/**
 * JSON bodies may be empty (box-im's clients send `Content-Type: application/json` with no
 * body on some PUT/POST calls), and are refused past MAX_JSON_DEPTH levels; text bodies are kept as strings (WebRTC signalling).
 */
export function installBodyParsers(app: Api): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (isBlank(text)) return done(null, undefined);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return done(new AppError(CommonErrors.BAD_JSON), undefined);
    }
    if (depthExceeds(value, MAX_JSON_DEPTH))
      return done(new AppError(CommonErrors.JSON_TOO_DEEP, { max: MAX_JSON_DEPTH }), undefined);
    done(null, value);
  });
  app.addContentTypeParser('text/plain', { parseAs: 'string' }, (_request, body, done) => done(null, body));
}

/** What `trim()` would empty (JS whitespace and line ends), without copying the body. */
const BLANK = /^\s*$/;

function isBlank(text: string): boolean {
  return BLANK.test(text);
}
