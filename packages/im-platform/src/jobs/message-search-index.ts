import type { Logger } from 'pino';
import type { MessageSearchRepository } from '../repositories/message-search.repository';
import type { Job } from './job';

/**
 * Milliseconds from the first commit that stored messages to their index batch. Longer
 * gathers more rows per FTS segment (cheaper per message) but blocks the thread longer per
 * batch and leaves a longer tail for search to scan.
 */
const PERIOD_MS = 200;

/**
 * SQLite: indexes committed messages for search in batches (migration 021): first at start
 * (rows a crash left unindexed), then `PERIOD_MS` after a commit that stored messages (the
 * message repositories tell `search.stored`; the commits of the next `PERIOD_MS` join that
 * batch), and once more at stop. Idle, it runs no query. A failed batch is retried
 * `PERIOD_MS` later (nothing is lost: the mark did not move). Rows not yet indexed are still
 * found by search (it scans the tail above the mark). Other engines: nothing to do.
 */
export function messageSearchIndexJob(search: MessageSearchRepository, log: Logger): Job {
  let timer: NodeJS.Timeout | undefined;
  let stopped = true;
  let running: Promise<void> = Promise.resolve();
  const pass = async () => {
    try {
      await search.indexPending();
    } catch (err) {
      log.warn({ err }, 'could not index messages for search; retrying in the next batch');
      due();
    }
  };
  const runNow = () => (running = running.then(pass));
  const fire = () => {
    timer = undefined;
    void runNow();
  };
  // Commits while a batch runs set the next timer: their rows may be above the batch's reach.
  const due = () => {
    if (timer || stopped) return;
    timer = setTimeout(fire, PERIOD_MS);
    timer.unref();
  };
  return {
    name: 'message-search-index',
    async start() {
      if (!search.indexesInBatches) return;
      stopped = false;
      search.listenStored(due);
      await runNow();
    },
    async stop() {
      if (!search.indexesInBatches) return;
      stopped = true;
      search.listenStored(undefined);
      clearTimeout(timer);
      timer = undefined;
      await runNow();
    },
    runNow,
  };
}
