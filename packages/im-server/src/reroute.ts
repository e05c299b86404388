import type { Logger } from 'pino';
import { publishRouteChange, pushJson, type Bus, type RoutingTable } from '@box-im/im-bus';
import { RedisKey, type IMRecvInfo, type IMUserInfo, type PushKind } from '@box-im/im-common';

export interface RerouteInput {
  bus: Bus;
  routes: RoutingTable;
  /** This node's id. */
  serverId: number;
  kind: PushKind;
  job: IMRecvInfo;
  /** The job's receivers this node has no connection for. */
  missed: IMUserInfo[];
  logger: Logger;
}

const queueOf = {
  private: RedisKey.privateMessageQueue,
  group: RedisKey.groupMessageQueue,
  system: RedisKey.systemMessageQueue,
} as const;

/**
 * "Not here": receivers of a job this node holds no connection for. The pusher looked their
 * route up (or took it from its route cache) before they moved: each pair's route is read
 * again, the receivers whose route now names another node are forwarded there in a copy of
 * the job (one per node; that node reports their results), and every pusher's cached route
 * of those pairs is dropped (a route change notice). Returns the receivers not forwarded:
 * offline, or still routed here while their socket closes; the caller reports those as
 * today (NOT_FIND_CHANNEL). On a bus failure nothing is forwarded.
 */
export async function rerouteMissed(input: RerouteInput): Promise<IMUserInfo[]> {
  const { bus, routes, serverId, kind, job, missed, logger } = input;
  let owners: (number | null)[];
  try {
    owners = await routes.lookup(missed.map((r) => ({ userId: r.id, terminal: r.terminal })));
  } catch (error) {
    logger.warn({ err: error }, 'cannot read the routes of missed receivers; reported as not found');
    return missed;
  }
  const left: IMUserInfo[] = [];
  const forward = new Map<number, IMUserInfo[]>();
  missed.forEach((receiver, i) => {
    const owner = owners[i] ?? null;
    if (owner === null || owner === serverId) left.push(receiver);
    else {
      const list = forward.get(owner);
      if (list) list.push(receiver);
      else forward.set(owner, [receiver]);
    }
  });
  await Promise.all([
    ...missed.map((r) => publishRouteChange(bus, { userId: r.id, terminal: r.terminal })),
    ...[...forward].map(async ([node, receivers]) => {
      try {
        await pushJson(bus, queueOf[kind](node), [{ ...job, receivers }]);
        logger.debug({ node, receivers: receivers.length }, 'receivers moved to another node; job forwarded');
      } catch (error) {
        logger.warn({ err: error, node }, 'cannot forward a job to the node now holding its receivers');
        left.push(...receivers);
      }
    }),
  ]);
  return left;
}
