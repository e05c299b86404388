import type { IMClient } from '@box-im/im-client';
import { SendCode, type IMSendResult } from '@box-im/im-common';
import type { Logger } from 'pino';
import type { PrivateMessageRepository } from '../repositories/private-message.repository';
import type { Job } from './job';

interface ResultData {
  id?: unknown;
  recvId?: unknown;
}

/** Ids of stored private messages that reached a terminal of their receiver. */
export function deliveredIds(results: readonly IMSendResult<ResultData>[]): number[] {
  const ids = new Set<number>();
  for (const r of results) {
    const data = r.data;
    if (r.code !== SendCode.SUCCESS || !data || typeof data.id !== 'number') continue;
    if (r.receiver.id === data.recvId) ids.add(data.id);
  }
  return [...ids];
}

/**
 * box-im's private result listener: a message pushed successfully to a terminal of its
 * receiver goes PENDING → DELIVERED. Results come from every push node through the bus.
 */
export function deliveryStatusJob(im: IMClient, messages: PrivateMessageRepository, log: Logger): Job {
  let unsubscribe: (() => void) | undefined;
  return {
    name: 'delivery-status',
    start() {
      unsubscribe = im.onPrivateResult<ResultData>(async (results) => {
        const ids = deliveredIds(results);
        if (ids.length === 0) return;
        try {
          await messages.markDelivered(ids);
        } catch (err) {
          // Still PENDING: the next offline pull delivers and marks them.
          log.warn({ err, count: ids.length }, 'could not mark private messages delivered');
        }
      });
      return Promise.resolve();
    },
    stop() {
      unsubscribe?.();
      unsubscribe = undefined;
      return Promise.resolve();
    },
  };
}
