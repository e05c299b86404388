import fastifyRateLimit, { type RateLimitPluginOptions } from '@fastify/rate-limit';
import { countInWindow, type Bus } from '@box-im/im-bus';
import type { RateSpec } from '@box-im/im-process';
import type { FastifyRequest } from 'fastify';
import type { Clock } from '../clock';
import { DAY_MS } from '../clock';
import type { PlatformConfig } from '../config';
import { AppError, CommonErrors, FileErrors } from '../errors';
import type { Api } from './api';

/** What a route is limited as (`config: { limit: 'send' }`). */
export type LimitKind = 'login' | 'register' | 'send' | 'upload';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The rate limits this route counts against (see `installRateLimits`). */
    limit?: LimitKind;
  }
}

type StoreCallback = (error: Error | null, result?: { current: number; ttl: number }) => void;

/**
 * A store of `@fastify/rate-limit` on the bus: in-process with the memory bus, shared by
 * every platform process with Redis. Fixed windows on the injected clock.
 */
function busStore(bus: Bus, clock: Clock, prefix: string) {
  return class BusStore {
    incr(key: string, callback: StoreCallback, timeWindow: number): void {
      countInWindow(bus, `${prefix}${key}`, timeWindow, clock.now().getTime()).then(
        ({ count, resetMs }) => callback(null, { current: count, ttl: resetMs }),
        (error: unknown) => callback(error as Error),
      );
    }
    child(): this {
      return this;
    }
  };
}

type Limiter = (
  request: FastifyRequest,
) => Promise<{ isAllowed: boolean; isExceeded?: boolean; ttlInSeconds?: number }>;

/** Who a limit counts: an account name, the client address or the logged-in user. */
type KeyOf = (request: FastifyRequest) => string;

const byIp: KeyOf = (request) => `ip:${request.ip}`;
const byUser: KeyOf = (request) => (request.auth ? `user:${request.auth.userId}` : `ip:${request.ip}`); // anonymous uploads: per IP
const byAccount: KeyOf = (request) => {
  const body = request.body as { userName?: unknown } | undefined;
  const name = typeof body?.userName === 'string' ? body.userName : '';
  return `account:${name.toLowerCase()}`;
};

function tooMany(seconds: number): AppError {
  return new AppError(CommonErrors.TOO_MANY_REQUESTS, { seconds: Math.max(1, seconds) });
}

/**
 * Rate limits (issue 9): login per account and per address, registration per address,
 * message sends and uploads per user, and upload bytes per user per day. Counted with
 * `@fastify/rate-limit` on the bus, before any work is done (preHandler: after the token and
 * the schema, before the handler reads an upload's body). Over a limit the caller gets the
 * envelope `{code: 429, message}` (HTTP 200 like every box-im error) and `Retry-After`.
 * RATE_LIMIT=off installs nothing. Client addresses follow TRUST_PROXY.
 */
export async function installRateLimits(
  root: Api,
  deps: { config: PlatformConfig; bus: Bus; clock: Clock },
): Promise<void> {
  const { config, bus, clock } = deps;
  if (!config.RATE_LIMIT) return;
  const options: RateLimitPluginOptions = {
    global: false,
    store: busStore(bus, clock, 'im:ratelimit:'),
  };
  await root.register(fastifyRateLimit, options);

  const limiter = (name: string, spec: RateSpec, keyOf: KeyOf): Limiter =>
    root.createRateLimit({
      max: spec.max,
      timeWindow: spec.windowMs,
      keyGenerator: (request) => `${name}:${keyOf(request)}`,
    });

  const limits: Record<LimitKind, Limiter[]> = {
    login: [
      limiter('login', config.RATE_LIMIT_LOGIN_IP, byIp),
      limiter('login', config.RATE_LIMIT_LOGIN_ACCOUNT, byAccount),
    ],
    register: [limiter('register', config.RATE_LIMIT_REGISTER_IP, byIp)],
    send: [limiter('send', config.RATE_LIMIT_SEND_USER, byUser)],
    upload: [limiter('upload', config.RATE_LIMIT_UPLOAD_USER, byUser)],
  };

  root.addHook('preHandler', async (request, reply) => {
    const kind = request.routeOptions.config.limit;
    if (!kind) return;
    for (const limit of limits[kind]) {
      const result = await limit(request);
      if (result.isExceeded) {
        const seconds = result.ttlInSeconds ?? 1;
        reply.header('retry-after', String(seconds));
        request.log.info({ limit: kind, ip: request.ip, user: request.auth?.userId }, 'rate limit reached');
        throw tooMany(seconds);
      }
    }
    if (kind === 'upload') await countUploadBytes(request, reply);
  });

  /** Add the upload's declared size to the user's bytes of the day; refuse (and take it back) past the quota. */
  async function countUploadBytes(
    request: FastifyRequest,
    reply: { header(name: string, value: string): unknown },
  ): Promise<void> {
    const size = Number(request.headers['content-length'] ?? 0);
    if (!Number.isFinite(size) || size <= 0) return;
    const key = `im:ratelimit:upload-bytes:${byUser(request)}`;
    const now = clock.now().getTime();
    const { count, resetMs } = await countInWindow(bus, key, DAY_MS, now, size);
    if (count <= config.RATE_LIMIT_UPLOAD_BYTES_PER_DAY) return;
    await countInWindow(bus, key, DAY_MS, now, -size);
    reply.header('retry-after', String(Math.ceil(resetMs / 1000)));
    request.log.info({ user: request.auth?.userId, ip: request.ip, size }, 'daily upload quota reached');
    throw new AppError(FileErrors.UPLOAD_QUOTA);
  }
}
