import type { Logger } from 'pino';
import type { Job } from './job';

/** A cache kept correct by bus notices (`NoticedCacheHolder`). */
export interface NoticedCacheLike {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Hear the bus notices that keep the platform's remembered answers correct (user facts of
 * authentication, friendships of private sends). Without them (the subscription failed) the
 * cache reads the database on every check.
 */
export function cacheNoticesJob(caches: Record<string, NoticedCacheLike>, log: Logger): Job {
  return {
    name: 'cache-notices',
    async start() {
      for (const [name, cache] of Object.entries(caches)) {
        try {
          await cache.start();
        } catch (err) {
          log.warn({ err, cache: name }, 'change notices unavailable; checks read the database every time');
        }
      }
    },
    async stop() {
      await Promise.all(Object.values(caches).map((cache) => cache.stop()));
    },
  };
}
