import { BusLock, type Bus } from '@box-im/im-bus';
import type { Logger } from 'pino';
import { PlatformKey } from '../bus-keys';
import type { Clock } from '../clock';
import type { PlatformConfig } from '../config';
import type { FileCleanupService } from '../services/file-cleanup.service';
import type { Job } from './job';

/** Milliseconds from `now` to the next local `HH:MM`. */
export function msUntil(time: string, now = new Date()): number {
  const [h = 0, m = 0] = time.split(':').map(Number);
  const next = new Date(now);
  next.setHours(h, m, 0, 0);
  if (next.getTime() <= now.getTime()) next.setDate(next.getDate() + 1);
  return next.getTime() - now.getTime();
}

/** Lease of a cleanup lock; renewed while a pass runs, lost 2 minutes after a crash. */
const LOCK_TTL_MS = 120_000;

/**
 * A cleanup pass that runs on one platform process at a time: the holder of the bus lock
 * `name` runs it, the others skip it (never wait). Reports with something in them are logged.
 */
function exclusivePass<R extends object>(
  bus: Bus,
  name: string,
  pass: () => Promise<R>,
  worthLogging: (report: R) => boolean,
  log: Logger,
): () => Promise<void> {
  const lock = new BusLock(bus, PlatformKey.lock(name), LOCK_TTL_MS);
  return async () => {
    try {
      const started = Date.now();
      const report = await lock.runExclusive(pass);
      if (!report) log.debug({ lock: name }, 'file cleanup pass skipped: another process holds the lock');
      else if (worthLogging(report))
        log.info(
          { lock: name, report: report as object, ms: Date.now() - started },
          'file cleanup pass done',
        );
    } catch (err) {
      log.error({ err, lock: name }, 'file cleanup pass failed');
    }
  };
}

/** A job running `pass` after each `delayMs()` (measured from the end of the previous pass). */
function scheduledJob(name: string, pass: () => Promise<void>, delayMs: () => number): Job {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => void pass().finally(schedule), delayMs());
    timer.unref();
  };
  return {
    name,
    start() {
      stopped = false;
      schedule();
      return Promise.resolve();
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
      return Promise.resolve();
    },
    runNow: pass,
  };
}

/**
 * The file cleanup jobs. With several platform processes only the holder of each bus lock
 * runs a pass; the others skip it (never wait).
 * - `file-expiry`: daily at FILE_EXPIRE_AT (local time), delete temporary uploads older than
 *   FILE_EXPIRE_DAYS;
 * - `anonymous-uploads`: every 5 minutes (or every ANONYMOUS_UPLOAD_CLAIM_SECONDS if
 *   shorter), settle anonymous uploads whose claim time is up: kept if a message or profile
 *   refers to them, deleted otherwise. It runs whatever ANONYMOUS_UPLOADS says, so turning
 *   the setting off still cleans up.
 */
export function fileCleanupJobs(
  cleanup: FileCleanupService,
  bus: Bus,
  clock: Clock,
  config: PlatformConfig,
  log: Logger,
): Job[] {
  const expiry = exclusivePass(
    bus,
    'task:file',
    () => cleanup.expire(),
    (r) => r.rows > 0 || r.failed > 0,
    log.child({ job: 'file-expiry' }),
  );
  const anonymous = exclusivePass(
    bus,
    'task:file-anonymous',
    () => cleanup.settleAnonymous(),
    (r) => r.kept + r.deleted + r.failed > 0,
    log.child({ job: 'anonymous-uploads' }),
  );
  const anonymousPeriodMs = Math.min(300, config.ANONYMOUS_UPLOAD_CLAIM_SECONDS) * 1000;
  return [
    scheduledJob('file-expiry', expiry, () => msUntil(config.FILE_EXPIRE_AT, clock.now())),
    scheduledJob('anonymous-uploads', anonymous, () => anonymousPeriodMs),
  ];
}
