/**
 * Process entry of a stand-alone push node (`npm run start:server`): Redis bus, HTTP server
 * on PORT (default 8878) with `GET /health` and the WebSocket endpoint `/im`.
 */
import { RedisBus } from '@box-im/im-bus';
import {
  closeInOrder,
  createLogger,
  createMetricsRegistry,
  pushNodeSettings,
  runUntilSignal,
} from '@box-im/im-process';
import { loadPushNodeProcessConfig } from './config';
import { listenPushNode } from './node-http';
import { PushServer } from './push-server';

const DEFAULT_PORT = 8878;

await runUntilSignal(async () => {
  const config = loadPushNodeProcessConfig(process.env);
  const logger = createLogger({ name: 'im-server', level: config.LOG_LEVEL, pretty: config.LOG_PRETTY });
  const bus = await RedisBus.connect({
    url: config.REDIS_URL,
    keyPrefix: config.REDIS_KEY_PREFIX,
    onError: (err) => logger.error({ err }, 'redis connection error'),
  });
  const push = await PushServer.start({
    bus,
    logger,
    metrics: createMetricsRegistry(),
    ...pushNodeSettings(config),
  });
  const node = await listenPushNode(push, config.PORT ?? DEFAULT_PORT, config.HOST, config.LISTEN_BACKLOG);
  logger.info({ port: node.port, serverId: push.serverId }, 'listening');
  return {
    async close() {
      logger.info('shutting down');
      await closeInOrder('push node', [() => node.close(), () => bus.close()]);
      logger.info('stopped');
    },
  };
});
