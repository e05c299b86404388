import type { Logger } from 'pino';
import type { SensitiveWordRepository } from '../repositories/sensitive-word.repository';
import type { SensitiveWordFilter } from '../services/sensitive-words';
import type { Job } from './job';

/** Load the enabled sensitive words now and every `periodSeconds` after. */
export function sensitiveWordReloadJob(
  repo: SensitiveWordRepository,
  filter: SensitiveWordFilter,
  periodSeconds: number,
  log: Logger,
): Job {
  let timer: NodeJS.Timeout | undefined;
  const reload = async () => {
    try {
      const before = filter.size;
      filter.load(await repo.enabledWords());
      if (filter.size !== before) log.info({ words: filter.size }, 'sensitive words loaded');
    } catch (err) {
      log.error({ err }, 'sensitive word reload failed; keeping the previous list');
    }
  };
  return {
    name: 'sensitive-word-reload',
    async start() {
      await reload();
      timer = setInterval(() => void reload(), periodSeconds * 1000);
      timer.unref();
    },
    stop() {
      clearInterval(timer);
      return Promise.resolve();
    },
    runNow: reload,
  };
}
