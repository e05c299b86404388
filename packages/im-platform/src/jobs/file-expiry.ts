import { BusLock, type Bus } from '@box-im/im-bus';
import type { Logger } from 'pino';
import { PlatformKey } from '../bus-keys';
import type { Clock } from '../clock';
import type { PlatformConfig } from '../config';
import type { FileService } from '../services/file.service';
import type { Job } from './job';

/** Milliseconds from `now` to the next local `HH:MM`. */
export function msUntil(time: string, now = new Date()): number {
  const [h = 0, m = 0] = time.split(':').map(Number);
  const next = new Date(now);
  next.setHours(h, m, 0, 0);
  if (next.getTime() <= now.getTime()) next.setDate(next.getDate() + 1);
  return next.getTime() - now.getTime();
}

/** Lease of the expiry lock; renewed while a pass runs, lost 2 minutes after a crash. */
const LOCK_TTL_MS = 120_000;

/**
 * Daily at FILE_EXPIRE_AT (local time), delete temporary uploads older than
 * FILE_EXPIRE_DAYS. With several platform processes only the holder of the bus lock runs a
 * pass; the others skip it (never wait).
 */
export function fileExpiryJob(
  files: FileService,
  bus: Bus,
  clock: Clock,
  config: PlatformConfig,
  log: Logger,
): Job {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const lock = new BusLock(bus, PlatformKey.lock('task:file'), LOCK_TTL_MS);

  const pass = async () => {
    try {
      const started = Date.now();
      const report = await lock.runExclusive(() => files.expire());
      if (!report) log.debug('file expiry skipped: another process holds the lock');
      else if (report.rows > 0 || report.failed > 0)
        log.info({ ...report, ms: Date.now() - started }, 'expired files deleted');
    } catch (err) {
      log.error({ err }, 'file expiry pass failed');
    }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => void pass().finally(schedule), msUntil(config.FILE_EXPIRE_AT, clock.now()));
    timer.unref();
  };

  return {
    name: 'file-expiry',
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
