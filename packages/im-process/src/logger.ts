import { createRequire } from 'node:module';
import { pino, type DestinationStream, type Logger } from 'pino';

/** Fields that hold secrets, wherever they appear in a log entry. */
const REDACTED = [
  'req.headers.accesstoken',
  'req.headers.refreshtoken',
  'req.headers.authorization',
  '*.password',
  '*.oldPassword',
  '*.newPassword',
  '*.accessToken',
  '*.refreshToken',
  '*.token',
];

export interface LoggerOptions {
  /** `name` field of every entry (the process: `box-im`, `im-platform`, `im-server`). */
  name: string;
  level: string;
  /** Human-readable lines (pino-pretty). Default: when stdout is a terminal. */
  pretty?: boolean | undefined;
}

/**
 * The process logger: JSON lines on stdout (or `destination`), or pino-pretty when asked
 * (or when stdout is a terminal). Secrets never reach it: token and password fields are
 * redacted wherever they appear.
 */
export function createLogger(options: LoggerOptions, destination?: DestinationStream): Logger {
  const pretty = !destination && (options.pretty ?? process.stdout.isTTY === true);
  const settings = {
    name: options.name,
    level: options.level,
    redact: { paths: REDACTED, censor: '[redacted]' },
    ...(pretty
      ? {
          transport: {
            // Resolved here: pino loads transports in a worker that does not see our dependencies.
            target: createRequire(import.meta.url).resolve('pino-pretty'),
            options: { translateTime: 'SYS:HH:MM:ss.l' },
          },
        }
      : {}),
  };
  return destination ? pino(settings, destination) : pino(settings);
}
