import { LANGUAGE_HEADER } from '@box-im/im-common';
import type { Api } from './api';

/**
 * Credentialed CORS for the configured origins only (box-im's web client uses axios with
 * `withCredentials`, so the origin must be echoed, never `*`). Same-origin needs nothing.
 */
export function installCors(app: Api, origins: readonly string[]): void {
  if (origins.length === 0) return;
  const allowed = new Set(origins);
  app.addHook('onRequest', async (request, reply) => {
    const origin = request.headers.origin;
    if (!origin || (!allowed.has(origin) && !allowed.has('*'))) return;
    reply
      .header('access-control-allow-origin', origin)
      .header('access-control-allow-credentials', 'true')
      .header('vary', 'Origin');
    if (request.method === 'OPTIONS') {
      await reply
        .header('access-control-allow-methods', 'GET, POST, PUT, DELETE, OPTIONS')
        .header(
          'access-control-allow-headers',
          `accessToken, refreshToken, Content-Type, Accept-Language, ${LANGUAGE_HEADER}`,
        )
        .header('access-control-max-age', '600')
        .status(204)
        .send();
    }
  });
}
