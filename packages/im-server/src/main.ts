/**
 * Process entry of a stand-alone push node (`npm run start:server`): Redis bus, HTTP server
 * on PORT (default 8878) with `GET /health` and the WebSocket endpoint `/im`.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RedisBus } from '@box-im/im-bus';
import { ConfigError, parseConfig, serverConfigSchema, type ServerConfig } from './config';
import { createLogger } from './logger';
import { PushServer } from './push-server';

const DEFAULT_PORT = 8878;
/** A shutdown that takes longer than this (ms) ends the process anyway. */
const SHUTDOWN_TIMEOUT_MS = 10_000;

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

function loadConfig(): ServerConfig & { REDIS_URL: string } {
  let config: ServerConfig;
  try {
    config = parseConfig(serverConfigSchema, process.env);
  } catch (error) {
    if (error instanceof ConfigError) fail(`Invalid configuration:\n${error.message}`);
    throw error;
  }
  const redisUrl = config.REDIS_URL;
  if (!redisUrl)
    fail('REDIS_URL is required: a stand-alone push node shares routes and queues through Redis.');
  return { ...config, REDIS_URL: redisUrl };
}

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config);
  const bus = await RedisBus.connect({
    url: config.REDIS_URL,
    keyPrefix: config.REDIS_KEY_PREFIX,
    onError: (err) => logger.error({ err }, 'redis connection error'),
  });
  const push = await PushServer.start({
    bus,
    logger,
    jwtSecret: config.JWT_ACCESS_SECRET,
    idleTimeoutMs: config.WS_IDLE_TIMEOUT_SECONDS * 1000,
    onlineTtlSeconds: config.ONLINE_TTL_SECONDS,
    maxPayloadBytes: config.WS_MAX_PAYLOAD_BYTES,
  });

  const http: Server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/health') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'ok', serverId: push.serverId, connections: push.connectionCount }));
      return;
    }
    res.writeHead(404).end();
  });
  push.attach(http);
  await new Promise<void>((resolve) => http.listen(config.PORT ?? DEFAULT_PORT, config.HOST, resolve));
  const { port } = http.address() as AddressInfo;
  logger.info({ port, serverId: push.serverId }, 'listening');

  let stopping = false;
  const shutdown = async (signal: NodeJS.Signals): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    setTimeout(() => fail('shutdown timed out'), SHUTDOWN_TIMEOUT_MS).unref();
    const httpClosed = new Promise<void>((resolve) => http.close(() => resolve()));
    await push.close();
    await httpClosed;
    await bus.close();
    logger.info('stopped');
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      shutdown(signal).catch((err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exitCode = 1;
      });
    });
  }
}

main().catch((error: unknown) =>
  fail(`push node failed to start: ${error instanceof Error ? error.message : String(error)}`),
);
