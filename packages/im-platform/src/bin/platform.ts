/** `npm run start:platform`: the HTTP API only; pushes go through Redis to im-server nodes. */
import { ConfigError } from '@box-im/im-server';
import { buildApp } from '../app';
import { closeHttp } from '../http/close';
import { loadPlatformConfig } from '../config';
import { createContext } from '../context';
import { createLogger } from '../logger';
import { runUntilSignal } from './run';

await runUntilSignal(async () => {
  let config;
  try {
    config = loadPlatformConfig(process.env);
    if (!config.REDIS_URL)
      throw new ConfigError('✖ REDIS_URL: required when the platform runs without a push node');
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Invalid configuration:\n${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const log = createLogger({ level: config.LOG_LEVEL, pretty: config.LOG_PRETTY, name: 'im-platform' });
  const ctx = await createContext(config, log);
  const app = await buildApp(ctx);
  const address = await app.listen({ port: config.PORT ?? 8888, host: config.HOST });
  log.info({ address, dialect: ctx.db.name }, 'im-platform ready');
  return {
    async close() {
      await closeHttp(app);
      await ctx.close();
    },
  };
});
