import type { Logger } from 'pino';
import type { AuthUserCache } from '../services/auth-user-cache';
import type { Job } from './job';

/**
 * Hear the bus notices of changed user facts (ban, password, deletion), so that request
 * authentication answers from the remembered rows. Without them (the subscription failed)
 * it reads the database per request.
 */
export function authUserNoticesJob(cache: AuthUserCache, log: Logger): Job {
  return {
    name: 'auth-user-notices',
    async start() {
      try {
        await cache.start();
      } catch (err) {
        log.warn({ err }, 'user change notices unavailable; authentication reads the user on every request');
      }
    },
    stop: () => cache.stop(),
  };
}
