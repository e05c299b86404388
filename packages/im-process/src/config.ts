import { z } from 'zod';
import { trustProxySetting } from './limits';

/** box-im's published default access secret: fine for a laptop, refused in production. */
export const DEFAULT_ACCESS_SECRET = 'MIIBIjANBgkq';

/** A yes/no variable: `true`/`false`, `1`/`0`, `yes`/`no` or `on`/`off`. */
export const envBoolean = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes' || v === 'on');

/**
 * Variables every process reads (platform, push node, standalone). Each process's schema
 * spreads this shape and adds its own, so every variable is declared exactly once.
 */
export const processConfigShape = {
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Pretty logs for humans; JSON otherwise. Default: pretty when stdout is a terminal. */
  LOG_PRETTY: envBoolean.optional(),
  /** Listening port; each entry point has its own default (8080, 8888, 8878). */
  PORT: z.coerce.number().int().min(0).max(65535).optional(),
  HOST: z.string().default('0.0.0.0'),
  /**
   * Pending-connection queue of the listening socket (Node's default 511 overflows when
   * thousands of clients reconnect at once; the kernel caps it at net.core.somaxconn).
   */
  LISTEN_BACKLOG: z.coerce.number().int().min(1).max(65535).default(4096),
  /**
   * Redis for the cluster mode; unset means the in-process bus (standalone only).
   * `redis://` / `rediss://`, `redis-sentinel://host:port[,host:port…]/<master name>[/<db>]`
   * or `redis-cluster://host:port[,host:port…]` (database 0 only: a cluster has no other). Host
   * lists, which are not URLs a URL parser accepts.
   */
  REDIS_URL: z
    .string()
    .regex(/^(?:rediss?:\/\/\S+|redis-sentinel:\/\/\S+\/\S+|redis-cluster:\/\/[^/\s]+(?:\/0?)?)$/, {
      message:
        'expected redis://host:port, redis-sentinel://host:port[,host:port…]/<master name> or redis-cluster://host:port[,host:port…] (database 0 only)',
    })
    .optional(),
  /** Prefix of every Redis key; empty keeps box-im's names (needed to share Redis with box-im's Java nodes). */
  REDIS_KEY_PREFIX: z.string().default(''),
  /** HS256 secret of access tokens; must be the same on every platform and push node. */
  JWT_ACCESS_SECRET: z.string().min(8).default(DEFAULT_ACCESS_SECRET),
  /** `off` turns every rate limit off (load tests, benchmarks); see the README's Security section. */
  RATE_LIMIT: envBoolean.default(true),
  /**
   * Proxies whose `X-Forwarded-*` headers are believed: `off` (default), `on`, a hop count,
   * or a comma list of addresses/CIDRs. Off: client addresses and hosts come from the socket
   * and the `Host` header only.
   */
  TRUST_PROXY: trustProxySetting.default(false),
};

export interface ParseOptions {
  /** Variables where an empty value is meaningful (elsewhere empty means unset). */
  emptyMeansEmpty?: readonly string[];
  /**
   * Secrets with a published default (variable → that default), refused when
   * NODE_ENV=production. JWT_ACCESS_SECRET is always one of them.
   */
  publishedSecrets?: Readonly<Record<string, string>>;
}

/**
 * Parse a configuration source (normally `process.env`) with `schema`. On failure, throws
 * a `ConfigError` whose message names each bad variable. In production the published
 * default secrets are refused.
 */
export function parseConfig<S extends z.ZodType<Record<string, unknown>>>(
  schema: S,
  source: Record<string, string | undefined>,
  options: ParseOptions = {},
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
  if (config['NODE_ENV'] === 'production') checkProductionSecrets(config, options.publishedSecrets ?? {});
  return Object.freeze(config);
}

/** Bytes a production secret needs at least (HS256 keys should be as long as the hash). */
export const MIN_SECRET_BYTES = 32;

/**
 * In production: no published default secret, none shorter than MIN_SECRET_BYTES, and the
 * access and refresh secrets different (a refresh token must never verify as an access one).
 */
function checkProductionSecrets(
  config: Record<string, unknown>,
  publishedSecrets: Readonly<Record<string, string>>,
): void {
  const published: Record<string, string> = { JWT_ACCESS_SECRET: DEFAULT_ACCESS_SECRET, ...publishedSecrets };
  const defaults = new Set(Object.values(published));
  const names = Object.keys(published);
  const value = (name: string) => {
    const v = config[name];
    return typeof v === 'string' ? v : '';
  };
  const problems: string[] = [];
  const weak = names.filter((name) => defaults.has(value(name)));
  if (weak.length > 0)
    problems.push(`✖ ${weak.join(', ')}: the default secret is not allowed when NODE_ENV=production`);
  const short = names.filter(
    (name) => !weak.includes(name) && Buffer.byteLength(value(name)) < MIN_SECRET_BYTES,
  );
  if (short.length > 0)
    problems.push(
      `✖ ${short.join(', ')}: must be at least ${MIN_SECRET_BYTES} bytes when NODE_ENV=production (e.g. openssl rand -base64 48)`,
    );
  const seen = new Map<string, string>();
  for (const name of names) {
    const other = seen.get(value(name));
    if (other) problems.push(`✖ ${other}, ${name}: must differ when NODE_ENV=production`);
    else seen.set(value(name), name);
  }
  if (problems.length > 0) throw new ConfigError(problems.join('\n'));
}

/** A configuration a process cannot start with; its message names the variables. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}
