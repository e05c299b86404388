import { MemoryBus } from '@box-im/im-bus';
import { PushServer } from '@box-im/im-server';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { buildApp } from './app';
import { closeHttp } from './http/close';
import { loadPlatformConfig, type PlatformConfig } from './config';
import { createContext, type AppContext } from './context';
import { createLogger } from './logger';

export interface Running {
  /** `http://host:port` the server listens on. */
  url: string;
  app: FastifyInstance;
  ctx: AppContext;
  push: PushServer;
  close(): Promise<void>;
}

export interface StandaloneOptions {
  /** Port to listen on; 0 picks a free one. Default PORT or 8080. */
  port?: number;
  /** Folder for the SQLite file and uploads. Default DATA_DIR or ./data. */
  dataDir?: string;
  /** Built web client to serve at `/`. */
  webRoot?: string;
  /** Extra configuration variables (same names as the environment). */
  env?: Record<string, string | undefined>;
  logger?: Logger;
}

/**
 * Everything in one process: platform API + push node on one port, in-process bus (or
 * Redis if REDIS_URL is set), SQLite by default.
 */
export async function startStandalone(options: StandaloneOptions = {}): Promise<Running> {
  const source: Record<string, string | undefined> = { ...process.env, ...options.env };
  if (options.port !== undefined) source['PORT'] = String(options.port);
  if (options.dataDir !== undefined) source['DATA_DIR'] = options.dataDir;
  if (options.webRoot !== undefined) source['WEB_ROOT'] = options.webRoot;
  const config: PlatformConfig = loadPlatformConfig(source);
  const log =
    options.logger ?? createLogger({ level: config.LOG_LEVEL, pretty: config.LOG_PRETTY, name: 'box-im' });

  const bus = config.REDIS_URL ? undefined : new MemoryBus();
  const ctx = await createContext(config, log, bus ? { bus } : {});
  const push = await PushServer.start({
    bus: ctx.bus,
    logger: log.child({ mod: 'im-server' }),
    jwtSecret: config.JWT_ACCESS_SECRET,
    idleTimeoutMs: config.WS_IDLE_TIMEOUT_SECONDS * 1000,
    onlineTtlSeconds: config.ONLINE_TTL_SECONDS,
    maxPayloadBytes: config.WS_MAX_PAYLOAD_BYTES,
  });
  const app = await buildApp(ctx);
  push.attach(app.server);
  const address = await app.listen({ port: config.PORT ?? 8080, host: config.HOST });
  const url = address.replace('0.0.0.0', '127.0.0.1').replace('[::]', '127.0.0.1');
  log.info(
    { url, serverId: push.serverId, dialect: ctx.db.name, bus: ctx.bus.kind },
    'box-im standalone ready',
  );
  let closed = false;
  return {
    url,
    app,
    ctx,
    push,
    async close() {
      if (closed) return;
      closed = true;
      await push.close();
      log.info('closing the HTTP server');
      await closeHttp(app);
      log.info('closing stores and jobs');
      await ctx.close();
      if (bus) await bus.close();
      log.info('box-im standalone stopped');
    },
  };
}
