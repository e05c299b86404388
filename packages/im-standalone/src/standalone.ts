import { MemoryBus } from '@box-im/im-bus';
import {
  buildApp,
  closeHttp,
  createContext,
  type AppContext,
  type ContextOptions,
} from '@box-im/im-platform';
import { closeInOrder, createLogger, createMetricsRegistry, pushNodeSettings } from '@box-im/im-process';
import { PushServer } from '@box-im/im-server';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { loadStandaloneConfig, type StandaloneConfig } from './config';
import { builtH5Client, builtWebClient } from './web-root';

export interface Running {
  /** `http://host:port` the server listens on. */
  url: string;
  config: StandaloneConfig;
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
  /** Built web client to serve at `/`. Default WEB_ROOT, else im-web's build when there is one. */
  webRoot?: string;
  /** Built H5 mobile client to serve at `/h5/`. Default H5_ROOT, else im-uniapp's H5 build when there is one. */
  h5Root?: string;
  /** Configuration variables (same names as the environment), over `process.env`. */
  env?: Record<string, string | undefined>;
  logger?: Logger;
  /** What varies in tests (the clock). */
  context?: Omit<ContextOptions, 'bus'>;
}

/**
 * Everything in one process: platform API + push node on one port, in-process bus (or
 * Redis if REDIS_URL is set), SQLite by default.
 */
export async function startStandalone(options: StandaloneOptions = {}): Promise<Running> {
  const source: Record<string, string | undefined> = { ...process.env, ...options.env };
  if (options.port !== undefined) source['PORT'] = String(options.port);
  if (options.dataDir !== undefined) source['DATA_DIR'] = options.dataDir;
  const config = loadStandaloneConfig(source);
  const log =
    options.logger ?? createLogger({ name: 'box-im', level: config.LOG_LEVEL, pretty: config.LOG_PRETTY });

  const memoryBus = config.REDIS_URL ? undefined : new MemoryBus();
  // One registry for the process: the platform's and the push node's series, served at /metrics.
  const metrics = createMetricsRegistry();
  const ctx = await createContext(config, log, {
    ...options.context,
    metrics,
    ...(memoryBus ? { bus: memoryBus } : {}),
  });
  const push = await PushServer.start({
    bus: ctx.bus,
    logger: log.child({ mod: 'im-server' }),
    metrics,
    ...pushNodeSettings(config),
  });
  const app = await buildApp(ctx, {
    webRoot: options.webRoot ?? config.WEB_ROOT ?? builtWebClient(),
    h5Root: options.h5Root ?? config.H5_ROOT ?? builtH5Client(),
  });
  push.attach(app.server);
  const address = await app.listen({
    port: config.PORT ?? 8080,
    host: config.HOST,
    backlog: config.LISTEN_BACKLOG,
  });
  const url = address.replace('0.0.0.0', '127.0.0.1').replace('[::]', '127.0.0.1');
  log.info(
    { url, serverId: push.serverId, dialect: ctx.db.name, bus: ctx.bus.kind },
    'box-im standalone ready',
  );
  let closing: Promise<void> | undefined;
  return {
    url,
    config,
    app,
    ctx,
    push,
    close: () =>
      (closing ??= closeInOrder('standalone', [
        () => push.close(),
        () => closeHttp(app),
        () => ctx.close(),
        () => memoryBus?.close() ?? Promise.resolve(),
      ]).then(() => log.info('box-im standalone stopped'))),
  };
}
