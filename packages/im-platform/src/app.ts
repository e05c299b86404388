import { resolve } from 'node:path';
import fastifySwagger from '@fastify/swagger';
import fastifyStatic from '@fastify/static';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { AppContext } from './context';
import { AppError, CommonErrors } from './errors';
import type { Api } from './http/api';
import { installAuth } from './http/auth';
import { installBodyParsers } from './http/body-parsers';
import { installCors } from './http/cors';
import { installErrorHandling, sendError } from './http/error-handler';
import { registerFileServing } from './http/file-serving';
import { registerHealth } from './http/health';
import { registerMetrics } from './http/metrics';
import { registerApiRoutes } from './routes';

export interface AppOptions {
  /** Folder of a built web client to serve at `/`. @default WEB_ROOT (none when unset) */
  webRoot?: string | undefined;
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
    trustProxy: true,
    // Responses are built from explicit VOs; schemas document them (OpenAPI) and validate input.
    serializerOpts: {},
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false, allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));

  installBodyParsers(app);
  installErrorHandling(app);
  installCors(app, ctx.config.CORS_ORIGINS);

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

  app.setNotFoundHandler((request, reply) => {
    const url = request.url.split('?')[0] ?? '';
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
