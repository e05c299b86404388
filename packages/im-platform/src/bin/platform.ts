/** `npm run start:platform`: the HTTP API only; pushes go through Redis to im-server nodes. */
import {
  closeInOrder,
  ConfigError,
  createLogger,
  createMetricsRegistry,
  runUntilSignal,
} from '@box-im/im-process';
import { buildApp } from '../app';
import { loadPlatformConfig } from '../config';
import { createContext } from '../context';
import { closeHttp } from '../http/close';

await runUntilSignal(async () => {
  const config = loadPlatformConfig(process.env);
  if (!config.REDIS_URL)
    throw new ConfigError('✖ REDIS_URL: required when the platform runs without a push node');
  const log = createLogger({ name: 'im-platform', level: config.LOG_LEVEL, pretty: config.LOG_PRETTY });
  const ctx = await createContext(config, log, { metrics: createMetricsRegistry() });
  const app = await buildApp(ctx);
  const address = await app.listen({
    port: config.PORT ?? 8888,
    host: config.HOST,
    backlog: config.LISTEN_BACKLOG,
  });
  log.info({ address, dialect: ctx.db.name }, 'im-platform ready');
  return { close: () => closeInOrder('im-platform', [() => closeHttp(app), () => ctx.close()]) };
});
