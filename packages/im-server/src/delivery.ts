import type { Logger } from 'pino';
import { consumeJson, pushJson, RoutingTable, type Bus, type Consumer } from '@box-im/im-bus';
import {
  Cmd,
  MessageType,
  RedisKey,
  SendCode,
  type IMBatchSendResult,
  type IMForceLogoutInfo,
  type IMRecvInfo,
  type IMSendResult,
  type IMUserInfo,
  type PushKind,
} from '@box-im/im-common';
import { encodeFrame } from './frames';
import type { PushMetrics } from './metrics';
import { rerouteMissed } from './reroute';
import type { Session } from './session';

/** Finds the local logged-in session of (user, terminal). */
export type SessionLookup = (userId: number, terminal: number) => Session | undefined;

/** Max queue items taken per batch (box-im used 10 with a 100 ms poll; we block instead). */
const BATCH_SIZE = 100;

function isUserInfo(value: unknown): value is IMUserInfo {
  if (typeof value !== 'object' || value === null) return false;
  const { id, terminal } = value as Record<string, unknown>;
  return typeof id === 'number' && typeof terminal === 'number';
}

function isRecvInfo(value: object): value is IMRecvInfo {
  const v = value as Record<string, unknown>;
  return (
    typeof v['cmd'] === 'number' &&
    Array.isArray(v['receivers']) &&
    v['receivers'].every(isUserInfo) &&
    (v['sender'] === undefined || v['sender'] === null || isUserInfo(v['sender']))
  );
}

function isForceLogoutInfo(value: object): value is IMForceLogoutInfo {
  const v = value as Record<string, unknown>;
  return typeof v['userId'] === 'number' && typeof v['terminal'] === 'number';
}

/** The `result` label of `im_pushes_total` for a delivery outcome. */
function resultLabel(code: SendCode): 'sent' | 'offline' | 'error' {
  if (code === SendCode.SUCCESS) return 'sent';
  return code === SendCode.NOT_FIND_CHANNEL ? 'offline' : 'error';
}

/** Results to RPUSH, grouped by result queue. */
type Outbox = Map<string, unknown[]>;

function post(outbox: Outbox, queue: string, item: unknown): void {
  const list = outbox.get(queue);
  if (list) list.push(item);
  else outbox.set(queue, [item]);
}

/** A USER_BANNED system message: the one payload the node looks into (it ends the session). */
function isBanNotice(job: IMRecvInfo): boolean {
  const data = job.data as { type?: unknown } | null | undefined;
  return job.cmd === Cmd.SYSTEM_MESSAGE && data?.type === MessageType.USER_BANNED;
}

/**
 * Write one job's frame to each local receiver and return each receiver's outcome; the
 * sessions that received a ban notice are handed to `onBan`.
 */
function deliver(
  job: IMRecvInfo,
  find: SessionLookup,
  onBan: ((session: Session) => void) | undefined,
): Map<SendCode, IMUserInfo[]> {
  const frame = encodeFrame(job.cmd, job.data);
  const banned = onBan && isBanNotice(job) ? onBan : undefined;
  const outcomes = new Map<SendCode, IMUserInfo[]>();
  for (const receiver of job.receivers) {
    let code: SendCode;
    try {
      const session = find(receiver.id, receiver.terminal);
      code = session?.sendRaw(frame) ? SendCode.SUCCESS : SendCode.NOT_FIND_CHANNEL;
      if (session && code === SendCode.SUCCESS) banned?.(session);
    } catch {
      code = SendCode.UNKNOWN_ERROR;
    }
    const bucket = outcomes.get(code);
    if (bucket) bucket.push(receiver);
    else outcomes.set(code, [receiver]);
  }
  return outcomes;
}

/** Record a job's outcomes as box-im does: one result per receiver for private, one per bucket otherwise. */
function report(
  kind: PushKind,
  job: IMRecvInfo,
  outcomes: Map<SendCode, IMUserInfo[]>,
  outbox: Outbox,
): void {
  if (!job.sendResult || !job.serviceName) return;
  const sender = job.sender ?? undefined;
  for (const [code, receivers] of outcomes) {
    if (kind === 'private') {
      const queue = RedisKey.privateResultQueue(job.serviceName);
      for (const receiver of receivers) {
        post(outbox, queue, { sender, receiver, code, data: job.data } satisfies IMSendResult);
      }
    } else {
      const queue =
        kind === 'group'
          ? RedisKey.groupResultQueue(job.serviceName)
          : RedisKey.systemResultQueue(job.serviceName);
      post(outbox, queue, { sender, receivers, code, data: job.data } satisfies IMBatchSendResult);
    }
  }
}

export interface DeliveryOptions {
  bus: Bus;
  serverId: number;
  logger: Logger;
  metrics: PushMetrics;
  findSession: SessionLookup;
  /** Applies a force-logout order (from another push node, or from the platform). */
  onForceLogout: (info: IMForceLogoutInfo) => Promise<void>;
  /** Called for each session that was just written a ban notice (cmd 5, USER_BANNED). */
  onBanNotice?: (session: Session) => Promise<void>;
}

/**
 * Consumes this node's four queues with one blocking consumer: the force-logout queue
 * (listed first so that it is never starved) and the private, group and system job queues.
 * Delivery results are RPUSHed to the sender service's result queues, one push per queue
 * per batch.
 */
export function startDelivery(options: DeliveryOptions): Consumer {
  const { bus, serverId, logger, findSession, metrics } = options;
  const onBan = options.onBanNotice
    ? (session: Session) => {
        options.onBanNotice!(session).catch((error: unknown) =>
          logger.error({ err: error }, 'ban notice handling failed'),
        );
      }
    : undefined;
  const kinds = new Map<string, PushKind>([
    [RedisKey.privateMessageQueue(serverId), 'private'],
    [RedisKey.groupMessageQueue(serverId), 'group'],
    [RedisKey.systemMessageQueue(serverId), 'system'],
  ]);
  const forceLogoutQueue = RedisKey.forceLogoutQueue(serverId);
  const routes = new RoutingTable(bus);

  return consumeJson<object>(
    bus,
    [forceLogoutQueue, ...kinds.keys()],
    async (queue, items) => {
      if (queue === forceLogoutQueue) {
        for (const item of items) {
          if (isForceLogoutInfo(item)) {
            options
              .onForceLogout(item)
              .catch((error: unknown) => logger.error({ err: error }, 'force-logout order failed'));
          } else logger.warn({ queue }, 'malformed force-logout order dropped');
        }
        return;
      }
      const kind = kinds.get(queue);
      if (!kind) return;
      const endTimer = metrics.deliverySeconds.startTimer({ kind });
      const outbox: Outbox = new Map();
      for (const job of items) {
        if (!isRecvInfo(job)) {
          logger.warn({ queue }, 'malformed push job dropped');
          continue;
        }
        const outcomes = deliver(job, findSession, onBan);
        const missed = outcomes.get(SendCode.NOT_FIND_CHANNEL);
        if (missed) {
          const left = await rerouteMissed({ bus, routes, serverId, kind, job, missed, logger });
          if (left.length > 0) outcomes.set(SendCode.NOT_FIND_CHANNEL, left);
          else outcomes.delete(SendCode.NOT_FIND_CHANNEL);
        }
        for (const [code, receivers] of outcomes) {
          metrics.pushes.inc({ kind, result: resultLabel(code) }, receivers.length);
        }
        report(kind, job, outcomes, outbox);
      }
      await Promise.all([...outbox].map(([resultQueue, results]) => pushJson(bus, resultQueue, results)));
      endTimer();
    },
    {
      batchSize: BATCH_SIZE,
      onError: (error, queue) => {
        metrics.errors.inc({ source: 'delivery' });
        logger.error({ err: error, queue }, 'push consumer failed; batch dropped');
      },
      onMalformed: (queue) => logger.warn({ queue }, 'non-JSON queue item dropped'),
    },
  );
}
