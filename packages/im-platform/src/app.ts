import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import fastifySwagger from '@fastify/swagger';
import fastifyStatic from '@fastify/static';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { TrustProxy } from '@box-im/im-process';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { AppContext } from './context';
import { AppError, CommonErrors } from './errors';
import type { Api } from './http/api';
import { installAuth } from './http/auth';
import { installBodyParsers } from './http/body-parsers';
import { installCors } from './http/cors';
import { installErrorHandling, sendError } from './http/error-handler';
import { installRateLimits } from './http/rate-limits';
import { installSecurityHeaders } from './http/security-headers';
import { registerFileServing } from './http/file-serving';
import { installTextGuard } from './http/text-guard';
import { registerHealth } from './http/health';
import { registerMetrics } from './http/metrics';
import { registerApiRoutes } from './routes';

/** Where the H5 mobile client is served. */
export const H5_PREFIX = '/h5/';

export interface AppOptions {
  /** Folder of a built web client to serve at `/`. @default WEB_ROOT (none when unset) */
  webRoot?: string | undefined;
  /** Folder of the built H5 mobile client to serve at `/h5/`. @default H5_ROOT (none when unset) */
  h5Root?: string | undefined;
}

/** TRUST_PROXY as fastify takes it (a hop count becomes a function of the hop). */
function fastifyTrustProxy(
  setting: TrustProxy,
): boolean | string[] | ((address: string, hop: number) => boolean) {
  return typeof setting === 'number' ? (_address, hop) => hop < setting : setting;
}

/**
 * The platform's HTTP app, not listening: box-im's API under API_PREFIX, its OpenAPI
 * document at `{prefix}/doc`, and the web client at `/` when there is one. Tests call
 * `inject()` on it.
 */
export async function buildApp(ctx: AppContext, options: AppOptions = {}): Promise<FastifyInstance> {
  const logger: FastifyBaseLogger = ctx.log;
  const app = Fastify({
    loggerInstance: logger,
    bodyLimit: 1024 * 1024,
    // X-Forwarded-* are believed only from the proxies TRUST_PROXY names (none by default).
    trustProxy: fastifyTrustProxy(ctx.config.TRUST_PROXY),
    // Responses are built from explicit VOs; schemas document them (OpenAPI) and validate input.
    serializerOpts: {},
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false, allErrors: false } },
    // A URL the router cannot decode, or a path parameter past its length: the envelope too.
    frameworkErrors: (error, request, reply) => {
      const def =
        error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? CommonErrors.PARAM_TOO_LONG : CommonErrors.BAD_URL;
      void sendError(request, reply, new AppError(def));
    },
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));

  installBodyParsers(app);
  installErrorHandling(app);
  installTextGuard(app);
  installCors(app, ctx.config.CORS_ORIGINS);
  installSecurityHeaders(app);
  await installRateLimits(app, ctx);

  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'box-im platform API',
        version: '3.0.0',
        description: 'Wire-compatible with box-im v3.',
      },
      components: { securitySchemes: { accessToken: { type: 'apiKey', in: 'header', name: 'accessToken' } } },
      security: [{ accessToken: [] }],
    },
  });

  await registerFileServing(app, ctx);
  registerHealth(app, ctx);
  registerMetrics(app, ctx);

  const prefix = ctx.config.API_PREFIX;
  await app.register(
    (api: Api, _opts, done) => {
      installAuth(api, ctx.services.auth);
      registerApiRoutes(api, ctx);
      api.get('/doc', { config: { public: true }, schema: { hide: true } }, () => app.swagger());
      api.get('/doc/json', { config: { public: true }, schema: { hide: true } }, () => app.swagger());
      done();
    },
    { prefix },
  );

  const root = options.webRoot ?? ctx.config.WEB_ROOT;
  if (root) {
    await app.register(fastifyStatic, {
      root: resolve(root),
      prefix: '/',
      index: 'index.html',
      wildcard: false,
    });
  }

  const h5 = options.h5Root ?? ctx.config.H5_ROOT;
  const h5Index = h5 ? await readFile(join(resolve(h5), 'index.html'), 'utf8').catch(() => null) : null;
  if (h5 && h5Index !== null) {
    await app.register(fastifyStatic, {
      root: resolve(h5),
      prefix: H5_PREFIX,
      index: 'index.html',
      wildcard: false,
      decorateReply: false,
    });
    app.get(H5_PREFIX.slice(0, -1), { schema: { hide: true } }, (_request, reply) =>
      reply.redirect(H5_PREFIX),
    );
  }

  app.setNotFoundHandler((request, reply) => {
    const url = request.url.split('?')[0] ?? '';
    // The H5 client is a single-page app: unknown pages under /h5/ get its index.
    if (h5Index !== null && request.method === 'GET' && url.startsWith(H5_PREFIX) && !/\.\w+$/.test(url))
      return reply.type('text/html; charset=utf-8').send(h5Index);
    if (prefix === '' || url === prefix || url.startsWith(`${prefix}/`)) {
      return sendError(
        request,
        reply,
        new AppError(CommonErrors.ROUTE_NOT_FOUND, { method: request.method, url }),
      );
    }
    return reply.status(404).type('text/plain').send('Not Found');
  });
  return app;
}
