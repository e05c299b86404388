import pino, { type Logger } from 'pino';

/**
 * The process logger: JSON lines (pretty when asked or when stdout is a terminal).
 * Secrets never reach it: token and password fields are redacted wherever they appear.
 */
export function createLogger(opts: { level: string; pretty?: boolean | undefined; name: string }): Logger {
  const pretty = opts.pretty ?? process.stdout.isTTY;
  return pino({
    name: opts.name,
    level: opts.level,
    redact: {
      paths: [
        'req.headers.accesstoken',
        'req.headers.refreshtoken',
        'req.headers.authorization',
        '*.password',
        '*.oldPassword',
        '*.newPassword',
        '*.accessToken',
        '*.refreshToken',
      ],
      censor: '[redacted]',
    },
    ...(pretty ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l' } } } : {}),
  });
}
