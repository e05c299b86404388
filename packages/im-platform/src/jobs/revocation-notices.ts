import type { RevocationCache } from '@box-im/im-bus';
import type { Logger } from 'pino';
import type { Job } from './job';

/**
 * Hear the bus notices of token revocations, so that request authentication answers from
 * the remembered markers. Without them (the subscription failed) it reads the bus per request.
 */
export function revocationNoticesJob(revocations: RevocationCache, log: Logger): Job {
  return {
    name: 'revocation-notices',
    async start() {
      try {
        await revocations.start();
      } catch (err) {
        log.warn({ err }, 'revocation notices unavailable; token checks read the bus on every request');
      }
    },
    stop: () => revocations.stop(),
  };
}
