import type { Logger } from 'pino';
import type { MessageSearchRepository } from '../repositories/message-search.repository';
import type { Job } from './job';

/**
 * Milliseconds between index batches. Longer gathers more rows per FTS segment (cheaper per
 * message) but blocks the thread longer per batch and leaves a longer tail for search to scan.
 */
const PERIOD_MS = 200;

/**
 * SQLite: indexes committed messages for search in batches (migration 021), first at start
 * (rows a crash left unindexed), then every `PERIOD_MS`, and once more at stop. A failed
 * batch is retried by the next one (nothing is lost: the mark did not move). Other engines:
 * nothing to do.
 */
export function messageSearchIndexJob(search: MessageSearchRepository, log: Logger): Job {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const pass = async () => {
    try {
      await search.indexPending();
    } catch (err) {
      log.warn({ err }, 'could not index messages for search; retrying in the next batch');
    }
  };
  const runNow = () => (running = running.then(pass));
  const loop = () => {
    timer = setTimeout(() => void runNow().then(loop), PERIOD_MS);
    timer.unref();
  };
  return {
    name: 'message-search-index',
    async start() {
      if (!search.indexesInBatches) return;
      await runNow();
      loop();
    },
    async stop() {
      if (!search.indexesInBatches) return;
      clearTimeout(timer);
      timer = undefined;
      await runNow();
    },
    runNow,
  };
}
