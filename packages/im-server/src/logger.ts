import { createRequire } from 'node:module';
import { pino, type Logger } from 'pino';
import type { ServerConfig } from './config';

/** Absolute path of pino-pretty when it is installed, else undefined. */
function findPinoPretty(): string | undefined {
  try {
    return createRequire(import.meta.url).resolve('pino-pretty');
  } catch {
    return undefined;
  }
}

/**
 * The process logger: JSON lines, or pino-pretty when LOG_PRETTY=true or (LOG_PRETTY unset
 * and stdout is a terminal) and pino-pretty is installed. Tokens are never logged.
 */
export function createLogger(config: Pick<ServerConfig, 'LOG_LEVEL' | 'LOG_PRETTY'>): Logger {
  const wantPretty = config.LOG_PRETTY ?? process.stdout.isTTY === true;
  const pretty = wantPretty ? findPinoPretty() : undefined;
  return pino({
    level: config.LOG_LEVEL,
    redact: ['*.accessToken', '*.token'],
    ...(pretty ? { transport: { target: pretty } } : {}),
  });
}
