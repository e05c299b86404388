import type { Api } from './api';
import type { UserSession } from '@box-im/im-common';

import type { AuthService } from '../services/auth.service';

declare module 'fastify' {
  interface FastifyRequest {
    /** The caller, set for every route that is not marked `config: { public: true }`. */
    auth: UserSession;
  }
  interface FastifyContextConfig {
    /** Reachable without an access token. */
    public?: boolean;
  }
}

/** Authenticate every non-public route by its `accessToken` header (a raw JWT, no Bearer). */
export function installAuth(app: Api, auth: AuthService): void {
  app.decorateRequest('auth', null as unknown as UserSession);
  app.addHook('onRequest', async (request) => {
    if (request.is404 || request.routeOptions.config.public) return;
    const header = request.headers['accesstoken'];
    request.auth = await auth.authenticate(Array.isArray(header) ? header[0] : header);
  });
}
