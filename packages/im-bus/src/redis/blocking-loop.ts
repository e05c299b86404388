import type { RedisClient } from './connect';
import type { ConsumeOptions, QueueHandler } from '../bus';

export interface BlockingLoopOptions {
  /** A connection of the loop's own (a duplicate): BLPOP blocks it. */
  blocking: RedisClient;
  /** The queues' Redis keys (prefixed), first listed served first. */
  keys: readonly string[];
  /** Length of the key prefix, cut off the key before the handler sees the queue name. */
  prefixLength: number;
  handler: QueueHandler;
  options: ConsumeOptions;
}

/** One queue's popped items. */
interface Popped {
  key: string;
  items: string[];
}

/**
 * Consume `keys` on `blocking`; returns the function that stops the loop.
 *
 * A pop: BLPOP over all (first listed served first; up to 5 s, then loop to notice a stop),
 * then an LPOP with a count for the rest of the queue that woke it. (Popping without blocking
 * after a backlog, one pipelined LPOP per queue, measured 1.065x the push nodes' CPU per
 * delivery: see docs/benchmarks.md, "Fan-out: busy pops and spread route refresh".)
 *
 * Stop: a pending BLPOP is aborted at once (the connection is destroyed: Redis pops nothing
 * for a closed client); the LPOP of the rest in flight is waited for and its items handled, so
 * no item popped by Redis is lost to the stop.
 */
export function blockingLoop(loop: BlockingLoopOptions): () => Promise<void> {
  const { blocking, keys, prefixLength, handler, options } = loop;
  const batchSize = options.batchSize ?? 100;
  let stopped = false;
  // Nothing worth waiting for: connecting, or blocked in BLPOP.
  let waiting = true;

  const handle = async (popped: Popped): Promise<void> => {
    const queue = popped.key.slice(prefixLength);
    try {
      await handler(queue, popped.items);
    } catch (error) {
      options.onError?.(error, queue);
    }
  };

  const popWaiting = async (): Promise<Popped | undefined> => {
    // A stop that came while the LPOP was in flight must not be left blocked for 5 s.
    if (stopped) return undefined;
    waiting = true;
    let first: { key: string; element: string } | null;
    try {
      first = await blocking.blPop([...keys], 5);
    } finally {
      waiting = false;
    }
    if (!first) return undefined;
    const items = [first.element];
    if (batchSize > 1) {
      // The first item is handled even if this fails (a stop destroyed the connection).
      const more = await blocking.lPopCount(first.key, batchSize - 1).catch(() => null);
      if (more) items.push(...more);
    }
    return { key: first.key, items };
  };

  const run = async (): Promise<void> => {
    await blocking.connect();
    waiting = false;
    while (!stopped) {
      let popped: Popped | undefined;
      try {
        popped = await popWaiting();
      } catch (error) {
        if (stopped) break;
        options.onError?.(error, keys.map((k) => k.slice(prefixLength)).join(','));
        await new Promise((r) => setTimeout(r, 1000));
        continue;
      }
      if (popped) await handle(popped);
    }
  };

  const running = run().catch((error: unknown) => {
    if (!stopped) options.onError?.(error, keys.map((k) => k.slice(prefixLength)).join(','));
  });
  return async () => {
    if (stopped) return running;
    stopped = true;
    // Abort a pending BLPOP at once rather than waiting for its timeout; otherwise let the
    // pop in flight finish and its items be handled, then close.
    const abort = waiting;
    if (abort) blocking.destroy();
    await running;
    if (!abort) blocking.destroy();
  };
}
