import { envBoolean, parseConfig, processConfigShape, rateSpec } from '@box-im/im-process';
import { z } from 'zod';

/** box-im's published default refresh secret: fine for a laptop, refused in production. */
export const DEFAULT_REFRESH_SECRET = 'IKDiqVmn0VFU';

const iceServers = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON array' });
      return z.NEVER;
    }
  })
  .pipe(
    z.array(
      z.object({
        urls: z.string(),
        username: z.string().nullable().default(null),
        credential: z.string().nullable().default(null),
      }),
    ),
  );

/**
 * Every variable of the platform process (the standalone process adds the push node's).
 * Validated once at boot; nothing else reads `process.env`. Documented in the README's
 * configuration table.
 */
export const platformConfigSchema = z.object({
  ...processConfigShape,
  /** Folder for the SQLite file and local uploads. */
  DATA_DIR: z.string().default('./data'),
  /** `sqlite:…`, `mysql://…` or `postgres://…`; default `sqlite:<DATA_DIR>/im.db`. */
  DATABASE_URL: z
    .string()
    .regex(
      /^(sqlite:|mysql:\/\/|mariadb:\/\/|postgres:\/\/|postgresql:\/\/)/,
      'must start with sqlite:, mysql://, mariadb:// or postgres://',
    )
    .optional(),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /**
   * A `sqlite:` file database: `on` runs its statements in a worker thread that owns the
   * connection (the main thread only sends them and reads the rows; faster only with many
   * requests in flight in the quiet A/B of docs/benchmarks.md), `off` in the main thread. `sqlite::memory:` always runs in the main
   * thread. Ignored for MariaDB and PostgreSQL.
   */
  SQLITE_WORKER: z.enum(['on', 'off']).default('off'),
  /**
   * A `sqlite:` file database run in the main thread: `thread` checkpoints its WAL from a
   * thread of its own every second, `connection` leaves it to SQLite's automatic checkpoint in
   * the commit that crosses 1,000 WAL pages (on the event loop).
   */
  SQLITE_CHECKPOINT: z.enum(['thread', 'connection']).default('thread'),
  /** Path prefix of the HTTP API; empty serves box-im's root paths. */
  API_PREFIX: z
    .string()
    .regex(/^(\/[A-Za-z0-9._~-]+)*$/, 'must be empty or like /api')
    .default('/api'),
  /** HS256 secret of refresh tokens. */
  JWT_REFRESH_SECRET: z.string().min(8).default(DEFAULT_REFRESH_SECRET),
  /**
   * How new password hashes are made: `argon2id` (default; box-im's bcrypt hashes are upgraded
   * at login) or `bcrypt` (box-im's own form, never upgraded: while box-im's Java nodes serve
   * the same database).
   */
  PASSWORD_HASH: z.enum(['argon2id', 'bcrypt']).default('argon2id'),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().positive().default(1800),
  REFRESH_TOKEN_TTL_SECONDS: z.coerce.number().int().positive().default(604800),
  /** Name of this service on the bus: results come back on `im:result:*:{APP_NAME}`. */
  APP_NAME: z
    .string()
    .regex(/^[\w.-]+$/)
    .default('im-platform'),
  /** Browser origins allowed to call the API cross-origin (comma list); empty = same origin only. */
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  /** Built web client served at `/` (the standalone process defaults it to im-web's build). */
  WEB_ROOT: z.string().optional(),
  /** Built H5 mobile client served at `/h5/` (the standalone process defaults it to im-uniapp's H5 build). */
  H5_ROOT: z.string().optional(),
  /** Public base URL of this server, used to build absolute file URLs (e.g. https://im.example.com). */
  PUBLIC_URL: z.url().optional(),
  /** `disk` (under DATA_DIR/files) or `s3`. */
  STORAGE_DRIVER: z.enum(['disk', 's3']).default('disk'),
  S3_ENDPOINT: z.url().optional(),
  S3_REGION: z.string().default('us-east-1'),
  S3_BUCKET: z.string().default('box-im'),
  S3_ACCESS_KEY: z.string().optional(),
  S3_SECRET_KEY: z.string().optional(),
  /** Public base URL of the bucket's objects; unset = presigned URLs. */
  S3_PUBLIC_URL: z.url().optional(),
  S3_FORCE_PATH_STYLE: envBoolean.default(true),
  /**
   * When the S3 client adds request checksums: `when_required` (default) suits MinIO and
   * s3rver, which mis-store streamed bodies framed with trailing checksums; AWS takes either.
   */
  S3_CHECKSUM: z.enum(['when_required', 'when_supported']).default('when_required'),
  /**
   * Seconds a presigned GET stays valid when S3_PUBLIC_URL is unset. Clients get stable
   * `/files/<key>` URLs; the platform redirects each fetch to a fresh presigned URL.
   */
  S3_PRESIGN_SECONDS: z.coerce.number().int().min(60).max(604800).default(3600),
  /** Max bytes of an uploaded image or file. */
  UPLOAD_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(20 * 1024 * 1024),
  /** Max bytes of an uploaded video. */
  VIDEO_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(100 * 1024 * 1024),
  /** Days after which non-permanent uploads are deleted. */
  FILE_EXPIRE_DAYS: z.coerce.number().int().positive().default(180),
  /** Local time of day (HH:MM) the expiry of temporary uploads runs (box-im: 03:00). */
  FILE_EXPIRE_AT: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM')
    .default('03:00'),
  /**
   * Largest decoded image, in pixels (one frame), accepted by `/image/upload`: a 50 MP phone
   * photo. GIF and interlaced PNG, which cannot be decoded as a stream, get a quarter of it.
   */
  IMAGE_MAX_PIXELS: z.coerce.number().int().min(1_000_000).max(268_402_689).default(50_000_000),
  /**
   * Images decoded at once per process. Image work runs on libuv's thread pool (4 threads
   * unless UV_THREADPOOL_SIZE says otherwise), which password hashing also needs: keep this
   * at least 2 below the pool size.
   */
  IMAGE_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  /**
   * `on` accepts image and file uploads without a token, as box-im's mobile app sends them
   * (limited per IP; deleted unless a message or profile refers to them in time).
   */
  ANONYMOUS_UPLOADS: envBoolean.default(false),
  /** Seconds within which a message or profile must refer to an anonymous upload. */
  ANONYMOUS_UPLOAD_CLAIM_SECONDS: z.coerce.number().int().min(1).max(604800).default(3600),
  /** Anonymous uploads per IP per hour. */
  ANONYMOUS_UPLOAD_MAX_COUNT: z.coerce.number().int().min(1).default(60),
  /** Bytes of anonymous uploads per IP per hour. */
  ANONYMOUS_UPLOAD_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(200 * 1024 * 1024),
  /** Login attempts per user name (COUNT/WINDOW, e.g. 20/10m); all limits lift with RATE_LIMIT=off. */
  RATE_LIMIT_LOGIN_ACCOUNT: rateSpec.prefault('20/10m'),
  /** Login attempts per client address. */
  RATE_LIMIT_LOGIN_IP: rateSpec.prefault('200/10m'),
  /** Registrations per client address. */
  RATE_LIMIT_REGISTER_IP: rateSpec.prefault('20/1h'),
  /** Private and group messages sent per user (a reconnect's burst of queued sends must pass). */
  RATE_LIMIT_SEND_USER: rateSpec.prefault('600/1m'),
  /** Uploads (image, file, video) per user. */
  RATE_LIMIT_UPLOAD_USER: rateSpec.prefault('300/1h'),
  /** Bytes a user may upload per day (UTC), counted from each upload's Content-Length. */
  RATE_LIMIT_UPLOAD_BYTES_PER_DAY: z.coerce
    .number()
    .int()
    .min(1024)
    .default(4 * 1024 * 1024 * 1024),
  /**
   * `on`: adding a friend needs the other user's consent (a request they accept), users choose
   * who may add them (anyone / by request / nobody), and group invitations of users who do
   * not let anyone add them wait for their consent. `off` (default) keeps box-im's instant add.
   */
  FRIEND_REQUEST: envBoolean.default(false),
  /**
   * User names granted the system administrator role at every boot (comma list; a name with
   * no account yet is skipped with a warning). Revoke with `npm run admin -- revoke NAME`
   * after removing the name here.
   */
  ADMIN_USERS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  /** Seconds between reloads of the sensitive-word list (admin changes reach other processes within it). */
  SENSITIVE_WORD_RELOAD_SECONDS: z.coerce.number().positive().default(60),
  /** ICE servers handed to WebRTC clients (JSON array of {urls, username?, credential?}). */
  WEBRTC_ICE_SERVERS: iceServers.default([
    { urls: 'stun:stun.l.google.com:19302', username: null, credential: null },
  ]),
  WEBRTC_MAX_CHANNEL: z.coerce.number().int().min(1).max(16).default(9),
  /**
   * Milliseconds the pusher keeps a user's route (which push node holds the terminal), kept
   * current by the push nodes' route notices. 0 turns the cache off: required when box-im's
   * Java push nodes share the Redis (they publish no notices).
   */
  ROUTE_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(2000),
});

export type PlatformConfig = Readonly<z.infer<typeof platformConfigSchema>>;

/** How the platform's variables are parsed (the standalone process parses them the same way). */
export const platformParseOptions = {
  emptyMeansEmpty: ['API_PREFIX'],
  publishedSecrets: { JWT_REFRESH_SECRET: DEFAULT_REFRESH_SECRET },
} as const;

export function loadPlatformConfig(source: Record<string, string | undefined>): PlatformConfig {
  return parseConfig(platformConfigSchema, source, platformParseOptions);
}

/** The database URL, defaulting to the SQLite file under DATA_DIR. */
export function databaseUrl(config: PlatformConfig): string {
  return config.DATABASE_URL ?? `sqlite:${config.DATA_DIR.replace(/\/$/, '')}/im.db`;
}
