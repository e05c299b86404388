import type { Api } from './api';
import { AppError, CommonErrors } from '../errors';

/**
 * JSON bodies may be empty (box-im's clients send `Content-Type: application/json` with no
 * body on some PUT/POST calls); text bodies are kept as strings (WebRTC signalling).
 */
export function installBodyParsers(app: Api): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(new AppError(CommonErrors.BAD_JSON), undefined);
    }
  });
  app.addContentTypeParser('text/plain', { parseAs: 'string' }, (_request, body, done) => done(null, body));
}
