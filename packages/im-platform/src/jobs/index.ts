import type { Bus } from '@box-im/im-bus';
import type { IMClient } from '@box-im/im-client';
import type { Logger } from 'pino';
import type { Clock } from '../clock';
import type { PlatformConfig } from '../config';
import type { Repositories } from '../repositories';
import type { Services } from '../services';
import { adminQueuesJob } from './admin-queues';
import { cacheNoticesJob } from './cache-notices';
import { deliveryStatusJob } from './delivery-status';
import { fileCleanupJobs } from './file-expiry';
import { groupCallSweepJob } from './group-call-sweep';
import type { Job } from './job';
import { messageSearchIndexJob } from './message-search-index';
import { revocationNoticesJob } from './revocation-notices';
import { sensitiveWordReloadJob } from './sensitive-word-reload';

export type { Job } from './job';

/** Every background job of the platform. Add new jobs here. */
export function createJobs(deps: {
  config: PlatformConfig;
  log: Logger;
  clock: Clock;
  repos: Repositories;
  services: Services;
  im: IMClient;
  bus: Bus;
}): Job[] {
  const { config, log, repos, services } = deps;
  return [
    deliveryStatusJob(deps.im, repos.privateMessages, log.child({ job: 'delivery-status' })),
    messageSearchIndexJob(repos.messageSearch, log.child({ job: 'message-search-index' })),
    sensitiveWordReloadJob(
      repos.sensitiveWords,
      services.words,
      config.SENSITIVE_WORD_RELOAD_SECONDS,
      log.child({ job: 'sensitive-words' }),
      deps.bus,
    ),
    groupCallSweepJob(services.webrtcGroup, log.child({ job: 'group-call-sweep' })),
    revocationNoticesJob(services.revocations, log.child({ job: 'revocation-notices' })),
    cacheNoticesJob(
      { authUsers: services.authUsers, friendships: services.friendships },
      log.child({ job: 'cache-notices' }),
    ),
    ...fileCleanupJobs(services.fileCleanup, deps.bus, deps.clock, config, log),
    adminQueuesJob({
      bus: deps.bus,
      im: deps.im,
      groups: services.groupAdmin,
      users: services.auth,
      clock: deps.clock,
      log: log.child({ job: 'admin-queues' }),
    }),
  ];
}
