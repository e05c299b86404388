import type { Bus, Subscription } from '@box-im/im-bus';
import type { Logger } from 'pino';
import { PlatformKey } from '../bus-keys';
import type { SensitiveWordRepository } from '../repositories/sensitive-word.repository';
import type { SensitiveWordFilter } from '../services/sensitive-words';
import type { Job } from './job';

/**
 * Load the enabled sensitive words now, whenever an admin's change is announced on the bus
 * (`PlatformKey.sensitiveWordsChanged`, from any platform process) and every `periodSeconds`
 * after, the fallback for a notice missed while the bus was unreachable.
 */
export function sensitiveWordReloadJob(
  repo: SensitiveWordRepository,
  filter: SensitiveWordFilter,
  periodSeconds: number,
  log: Logger,
  bus: Bus,
): Job {
  let timer: NodeJS.Timeout | undefined;
  let subscription: Subscription | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  const load = async () => {
    try {
      const before = filter.size;
      filter.load(await repo.enabledWords());
      if (filter.size !== before) log.info({ words: filter.size }, 'sensitive words loaded');
    } catch (err) {
      log.error({ err }, 'sensitive word reload failed; keeping the previous list');
    }
  };
  // One load at a time; a request during a load runs one more after it (it may have missed the change).
  const reload = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await load();
      } while (again);
      running = undefined;
    })();
    return running;
  };
  return {
    name: 'sensitive-word-reload',
    async start() {
      try {
        subscription = await bus.subscribe(PlatformKey.sensitiveWordsChanged, () => void reload());
      } catch (err) {
        log.warn({ err }, 'sensitive-word notices unavailable; relying on the periodic reload');
      }
      await reload();
      timer = setInterval(() => void reload(), periodSeconds * 1000);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      await subscription?.stop();
    },
    runNow: reload,
  };
}
