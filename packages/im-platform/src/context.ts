import { createBus, type Bus } from '@box-im/im-bus';
import { IMClient } from '@box-im/im-client';
import { closeInOrder, createMetricsRegistry } from '@box-im/im-process';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { systemClock, type Clock } from './clock';
import { ClusterSerialQueue } from './concurrency/cluster-serial-queue';
import type { KeyedSerialQueue } from './concurrency/keyed-serial-queue';
import { databaseUrl, type PlatformConfig } from './config';
import { migrateToLatest, openDatabase, type DialectHandle } from './db';
import { narrowTextColumns } from './db/charset';
import { createJobs, type Job } from './jobs';
import { createRepositories, type Repositories } from './repositories';
import { createServices, type Services } from './services';
import { createStorage, type ObjectStorage } from './storage/create-storage';

/** Everything a platform process holds: stores, bus, SDK, services, jobs. */
export interface AppContext {
  config: PlatformConfig;
  log: Logger;
  clock: Clock;
  db: DialectHandle;
  bus: Bus;
  im: IMClient;
  repos: Repositories;
  services: Services;
  jobs: Job[];
  /** Where uploads live (disk or S3). */
  storage: ObjectStorage;
  /** The process's Prometheus registry (`GET /metrics`). */
  metrics: Registry;
  /** Stop jobs and close connections (the bus only if this context opened it). */
  close(): Promise<void>;
}

export interface ContextOptions {
  /** Use this bus instead of opening one from REDIS_URL (standalone shares it with the push node). */
  bus?: Bus;
  /** Where services and tokens read the time (tests move it). @default the system clock */
  clock?: Clock;
  /**
   * Orders message writes. @default cluster-wide over Redis (`ClusterSerialQueue`) when the bus
   * is Redis, in-process otherwise
   */
  order?: KeyedSerialQueue;
  /**
   * The process's Prometheus registry, shared with a push node in the same process.
   * @default a registry of its own, without Node's default metrics (the process entry adds them)
   */
  metrics?: Registry;
}

/** Open the database (migrating it), the bus and the SDK, then build services and start jobs. */
export async function createContext(
  config: PlatformConfig,
  log: Logger,
  options: ContextOptions = {},
): Promise<AppContext> {
  const db = openDatabase(
    databaseUrl(config),
    config.DB_POOL_SIZE,
    (err) => log.warn({ err }, 'database connection lost; the pool reconnects'),
    {
      worker: config.SQLITE_WORKER === 'on',
      checkpointThread: config.SQLITE_CHECKPOINT === 'thread',
      log: log.child({ mod: 'sqlite' }),
    },
  );
  const applied = await migrateToLatest(db.db as never, db.name);
  if (applied.length > 0) log.info({ migrations: applied, dialect: db.name }, 'database migrated');
  const narrow = await narrowTextColumns(db.db, db.name);
  if (narrow.length > 0)
    log.warn(
      { columns: narrow },
      'text columns not in utf8mb4: emoji sent to them are refused; convert the tables (ALTER TABLE … CONVERT TO CHARACTER SET utf8mb4)',
    );
  const ownBus = !options.bus;
  const bus =
    options.bus ??
    (await createBus(config.REDIS_URL, {
      keyPrefix: config.REDIS_KEY_PREFIX,
      onError: (err) => log.error({ err }, 'redis connection error'),
    }));
  const im = new IMClient({
    bus,
    appName: config.APP_NAME,
    logger: log.child({ mod: 'im-client' }),
    routeCacheMs: config.ROUTE_CACHE_MS,
  });
  const repos = createRepositories(db);
  const storage = createStorage(config);
  await storage.init();
  const clock = options.clock ?? systemClock;
  const order = options.order ?? (bus.kind === 'redis' ? new ClusterSerialQueue(bus, log) : undefined);
  const services = createServices({ config, log, clock, bus, im, repos, storage, order });
  await grantConfiguredAdmins(config.ADMIN_USERS, services, log);
  const jobs = createJobs({ config, log, clock, repos, services, im, bus });
  im.start();
  for (const job of jobs) await job.start();
  return {
    config,
    log,
    clock,
    db,
    bus,
    im,
    repos,
    services,
    jobs,
    storage,
    metrics: options.metrics ?? createMetricsRegistry({ defaults: false }),
    close: () =>
      closeInOrder('platform', [
        ...jobs.map((job) => () => job.stop()),
        () => im.stop(),
        () => (ownBus ? bus.close() : Promise.resolve()),
        () => db.db.destroy(),
        () => storage.close(),
      ]),
  };
}

/** ADMIN_USERS: the role is granted at each boot (a no-op when already held). */
async function grantConfiguredAdmins(names: readonly string[], services: Services, log: Logger) {
  for (const name of names) {
    const user = await services.admin.setAdminByName(name, true, 'ADMIN_USERS');
    if (user) log.info({ userId: user.id, userName: user.user_name }, 'administrator (ADMIN_USERS)');
    else log.warn({ userName: name }, 'ADMIN_USERS names a user that does not exist; skipped');
  }
}
