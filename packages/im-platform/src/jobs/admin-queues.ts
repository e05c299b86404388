import { consumeJson, type Bus, type Consumer } from '@box-im/im-bus';
import type { IMClient } from '@box-im/im-client';
import { MessageType, RedisKey, type SystemMessageVO } from '@box-im/im-common';
import type { Logger } from 'pino';
import type { Clock } from '../clock';
import type { Job } from './job';

/** What box-im's admin console pushes after banning a user or a group (`{id, reason}`). */
interface BanOrder {
  id?: unknown;
  reason?: unknown;
}

/** Revokes a user's tokens (on the push nodes too). */
export interface TokenRevoker {
  revokeTokens(userId: number): Promise<void>;
}

/** Reacts to a group ban or unban (tip message to the members). */
export interface GroupBanNotifier {
  onGroupBanned(groupId: number, reason: string): Promise<void>;
  onGroupUnbanned(groupId: number): Promise<void>;
}

/**
 * Consumes the queues box-im's admin console writes to (it shares the database and Redis):
 * a banned user's tokens are revoked, then every terminal gets system message USER_BANNED (50)
 * — the clients log out, and the push nodes close the sockets of the revoked tokens after it —
 * and every later request or login is refused; a banned or unbanned group gets a tip message.
 * A tool that deletes a user pushes the same order (its tokens die with it). In the
 * standalone mode nothing writes these queues unless a tool shares the process.
 */
export interface AdminQueuesDeps {
  bus: Bus;
  im: IMClient;
  groups: GroupBanNotifier;
  users: TokenRevoker;
  clock: Clock;
  log: Logger;
}

export function adminQueuesJob({ bus, im, groups, users, clock, log }: AdminQueuesDeps): Job {
  let consumer: Consumer | undefined;
  const handle = async (queue: string, orders: BanOrder[]) => {
    for (const order of orders) {
      const id = Number(order.id);
      if (!Number.isSafeInteger(id) || id <= 0) {
        log.warn({ queue }, 'ignoring admin order without a valid id');
        continue;
      }
      const reason = typeof order.reason === 'string' ? order.reason : '';
      if (queue === RedisKey.USER_BANNED_QUEUE) {
        // The marker first: the push nodes read it when the notice below reaches them.
        await users.revokeTokens(id);
        const data: SystemMessageVO = {
          type: MessageType.USER_BANNED,
          content: reason,
          sendTime: clock.now().getTime(),
        };
        await im.sendSystemMessage({ recvIds: [id], sendResult: false, data });
        log.info({ userId: id }, 'user banned: tokens revoked, terminals notified');
      } else if (queue === RedisKey.GROUP_BANNED_QUEUE) {
        await groups.onGroupBanned(id, reason);
        log.info({ groupId: id }, 'group banned: members notified');
      } else if (queue === RedisKey.GROUP_UNBAN_QUEUE) {
        await groups.onGroupUnbanned(id);
        log.info({ groupId: id }, 'group unbanned: members notified');
      }
    }
  };
  return {
    name: 'admin-queues',
    start() {
      consumer = consumeJson<BanOrder>(
        bus,
        [RedisKey.USER_BANNED_QUEUE, RedisKey.GROUP_BANNED_QUEUE, RedisKey.GROUP_UNBAN_QUEUE],
        handle,
        {
          batchSize: 50,
          onError: (err, queue) => log.error({ err, queue }, 'admin order failed'),
          onMalformed: (queue) => log.warn({ queue }, 'ignoring a malformed admin order'),
        },
      );
      return Promise.resolve();
    },
    async stop() {
      await consumer?.stop();
    },
  };
}
