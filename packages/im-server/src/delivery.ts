import type { Logger } from 'pino';
import { consumeJson, pushJson, RoutingTable, type Bus, type Consumer } from '@box-im/im-bus';
import {
  RedisKey,
  SendCode,
  type IMBatchSendResult,
  type IMForceLogoutInfo,
  type IMSendResult,
  type IMUserInfo,
  type PushKind,
} from '@box-im/im-common';
import { encodeFrame } from './frames';
import type { PushMetrics } from './metrics';
import { isBanNotice, readJob, toRecvInfo, type Job } from './push-job';
import { rerouteMissed } from './reroute';
import type { Session } from './session';
import { WriteBatch } from './write-batch';

/** Finds the local logged-in session of (user, terminal). */
export type SessionLookup = (userId: number, terminal: number) => Session | undefined;

/** Max queue items taken per batch (box-im used 10 with a 100 ms poll; we block instead). */
const BATCH_SIZE = 100;

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

/** Append `value` to the list of `key` (results by queue, receivers by outcome). */
function append<K, V>(lists: Map<K, V[]>, key: K, value: V): void {
  const list = lists.get(key);
  if (list) list.push(value);
  else lists.set(key, [value]);
}

/** What became of a job's receivers: how many were written, and who was not (by code). */
interface Outcomes {
  sent: number;
  /** The receivers written, only when the job wants results (else no object per receiver). */
  sentTo: IMUserInfo[] | undefined;
  failed: Map<SendCode, IMUserInfo[]>;
}

/**
 * Write one job's frame (encoded once) to each local receiver (held in `batch` when given);
 * the sessions that received a ban notice are handed to `onBan`.
 */
function deliver(
  job: Job,
  find: SessionLookup,
  onBan: ((session: Session) => void) | undefined,
  batch: WriteBatch | undefined,
): Outcomes {
  const frame = encodeFrame(job.cmd, job.data);
  const banned = onBan && isBanNotice(job) ? onBan : undefined;
  const wantsResults = job.sendResult && job.serviceName !== undefined;
  const out: Outcomes = { sent: 0, sentTo: wantsResults ? [] : undefined, failed: new Map() };
  const { pairs } = job;
  for (let i = 0; i < pairs.length; i += 2) {
    const id = pairs[i]!;
    const terminal = pairs[i + 1]!;
    try {
      const session = find(id, terminal);
      if (session?.sendRaw(frame, batch)) {
        banned?.(session);
        out.sent++;
        out.sentTo?.push({ id, terminal });
      } else append(out.failed, SendCode.NOT_FIND_CHANNEL, { id, terminal });
    } catch {
      append(out.failed, SendCode.UNKNOWN_ERROR, { id, terminal });
    }
  }
  return out;
}

/** Record a job's outcomes as box-im does: one result per receiver for private, one per bucket otherwise. */
function report(kind: PushKind, job: Job, outcomes: Map<SendCode, IMUserInfo[]>, outbox: Outbox): void {
  if (!job.sendResult || !job.serviceName) return;
  const sender = job.sender;
  for (const [code, receivers] of outcomes) {
    if (receivers.length === 0) continue;
    if (kind === 'private') {
      const queue = RedisKey.privateResultQueue(job.serviceName);
      for (const receiver of receivers) {
        append(outbox, queue, { sender, receiver, code, data: job.data } satisfies IMSendResult);
      }
    } else {
      const queue =
        kind === 'group'
          ? RedisKey.groupResultQueue(job.serviceName)
          : RedisKey.systemResultQueue(job.serviceName);
      append(outbox, queue, { sender, receivers, code, data: job.data } satisfies IMBatchSendResult);
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
 * (listed first so that it is never starved) and the private, group and system job queues,
 * whose jobs come in box-im's form or our compact one (`IMCompactRecvInfo`). The jobs of one
 * pop are written in one pass (`WriteBatch`: a socket's frames of the pop in one writev), then
 * each job's missed receivers are rerouted and its results posted, in job order. Delivery
 * results are RPUSHed to the sender service's result queues, one push per queue per batch.
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
  const writes = new WriteBatch();

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
      // Every job of the batch is written in one synchronous pass, each socket's frames of the
      // pass in one writev (a batch of one job has nothing to share); reroutes and results after.
      const batch = items.length > 1 ? writes : undefined;
      const done: { job: Job; outcomes: Outcomes }[] = [];
      try {
        for (const item of items) {
          const job = readJob(item);
          if (job) done.push({ job, outcomes: deliver(job, findSession, onBan, batch) });
          else logger.warn({ queue }, 'malformed push job dropped');
        }
      } finally {
        batch?.flush();
      }
      for (const { job, outcomes } of done) {
        const { sent, sentTo, failed } = outcomes;
        const missed = failed.get(SendCode.NOT_FIND_CHANNEL);
        if (missed) {
          const left = await rerouteMissed({
            bus,
            routes,
            serverId,
            kind,
            job: toRecvInfo(job, missed),
            missed,
            logger,
          });
          if (left.length > 0) failed.set(SendCode.NOT_FIND_CHANNEL, left);
          else failed.delete(SendCode.NOT_FIND_CHANNEL);
        }
        if (sent > 0) metrics.pushes.inc({ kind, result: 'sent' }, sent);
        for (const [code, receivers] of failed) {
          metrics.pushes.inc({ kind, result: resultLabel(code) }, receivers.length);
        }
        if (sentTo) report(kind, job, new Map([[SendCode.SUCCESS, sentTo], ...failed]), outbox);
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
