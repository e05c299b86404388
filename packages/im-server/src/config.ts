import { z } from 'zod';

/** box-im's published default secrets: fine for a laptop, refused in production. */
export const DEFAULT_ACCESS_SECRET = 'MIIBIjANBgkq';
export const DEFAULT_REFRESH_SECRET = 'IKDiqVmn0VFU';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/**
 * Variables every process reads (push node, platform, standalone). The platform's schema
 * extends this one, so each variable is declared exactly once.
 */
export const commonConfigShape = {
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Pretty logs for humans; JSON otherwise. Default: pretty when stdout is a terminal. */
  LOG_PRETTY: bool.optional(),
  /** Listening port; each entry point has its own default (8080, 8888, 8878). */
  PORT: z.coerce.number().int().min(0).max(65535).optional(),
  HOST: z.string().default('0.0.0.0'),
  /** Redis for the cluster mode; unset means the in-process bus (standalone only). */
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  /** Prefix of every Redis key; empty keeps box-im's names (needed to share Redis with box-im's Java nodes). */
  REDIS_KEY_PREFIX: z.string().default(''),
  /** HS256 secret of access tokens; must be the same on every platform and push node. */
  JWT_ACCESS_SECRET: z.string().min(8).default(DEFAULT_ACCESS_SECRET),
  /** Seconds without any frame after which a socket is closed. */
  WS_IDLE_TIMEOUT_SECONDS: z.coerce.number().positive().default(60),
  /** Seconds a routing key lives without being refreshed by heartbeats. */
  ONLINE_TTL_SECONDS: z.coerce.number().int().positive().default(600),
  /** Largest inbound WebSocket frame, in bytes. */
  WS_MAX_PAYLOAD_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(64 * 1024),
};

export const serverConfigSchema = z.object(commonConfigShape);
export type ServerConfig = z.infer<typeof serverConfigSchema>;

/**
 * Parse a configuration source (normally `process.env`) with `schema`. On failure, throws
 * an error whose message names each bad variable. In production the default JWT secrets
 * are refused.
 */
export function parseConfig<S extends z.ZodType<Record<string, unknown>>>(
  schema: S,
  source: Record<string, string | undefined>,
  options: { emptyMeansEmpty?: readonly string[] } = {},
): Readonly<z.infer<S>> {
  // Empty strings mean "unset", as in most process managers, except for the variables
  // where an empty value is meaningful (e.g. API_PREFIX= serves the API at the root).
  const keep = new Set(options.emptyMeansEmpty ?? []);
  const cleaned = Object.fromEntries(
    Object.entries(source).filter(([k, v]) => v !== undefined && (v !== '' || keep.has(k))),
  );
  const result = schema.safeParse(cleaned);
  if (!result.success) throw new ConfigError(z.prettifyError(result.error));
  const config = result.data;
  if (config['NODE_ENV'] === 'production') {
    const weak = (['JWT_ACCESS_SECRET', 'JWT_REFRESH_SECRET'] as const).filter(
      (name) => config[name] === DEFAULT_ACCESS_SECRET || config[name] === DEFAULT_REFRESH_SECRET,
    );
    if (weak.length > 0) {
      throw new ConfigError(
        `✖ ${weak.join(', ')}: the default secret is not allowed when NODE_ENV=production`,
      );
    }
  }
  return Object.freeze(config);
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}
