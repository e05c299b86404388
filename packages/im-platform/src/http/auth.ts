import type { Api } from './api';
import type { UserSession } from '@box-im/im-common';

import type { AuthService } from '../services/auth.service';

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * The caller, set for every route that is not marked `config: { public: true }` (null on
     * a `tokenOptional` route called without a token).
     */
    auth: UserSession;
  }
  interface FastifyContextConfig {
    /** Reachable without an access token. */
    public?: boolean;
    /**
     * Without a token the route runs with `request.auth` null and decides itself (uploads,
     * see ANONYMOUS_UPLOADS); a token that is sent must still be valid.
     */
    tokenOptional?: boolean;
  }
}

/** Authenticate every non-public route by its `accessToken` header (a raw JWT, no Bearer). */
export function installAuth(app: Api, auth: AuthService): void {
  app.decorateRequest('auth', null as unknown as UserSession);
  app.addHook('onRequest', async (request) => {
    if (request.is404 || request.routeOptions.config.public) return;
    const header = request.headers['accesstoken'];
    const token = Array.isArray(header) ? header[0] : header;
    if (!token && request.routeOptions.config.tokenOptional) return;
    request.auth = await auth.authenticate(token);
  });
}
