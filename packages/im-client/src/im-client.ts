import {
  consumeJson,
  pushJson,
  RoutingTable,
  TokenRevocations,
  type Bus,
  type Consumer,
  type UserTerminal,
} from '@box-im/im-bus';
import {
  ALL_TERMINALS,
  Cmd,
  RedisKey,
  SendCode,
  type IMBatchSendResult,
  type IMRecvInfo,
  type IMSendResult,
  type IMUserInfo,
  type PushKind,
} from '@box-im/im-common';
import { ListenerRegistry } from './listeners';
import type { GroupMessage, IMClientLogger, PrivateMessage, ResultListener, SystemMessage } from './types';

export interface IMClientOptions {
  /** The bus shared with the push nodes. */
  bus: Bus;
  /** This service's name: `serviceName` of its pushes and suffix of its result queues (e.g. 'im-platform'). */
  appName: string;
  /** Defaults to a logger that drops everything. */
  logger?: IMClientLogger;
  /**
   * Queue nothing for a push node whose liveness key (`im:server:alive:{id}`) expired, and
   * remove its routes: a node that died would never consume. Turn off only next to push
   * nodes that write no liveness key (box-im's Java im-server). @default true
   */
  checkNodeLiveness?: boolean;
}

/** Max routing keys per MGET, so that huge groups do not block Redis with one giant command. */
const MGET_CHUNK = 1000;
/** Max result items taken per batch from the result queues. */
const RESULT_BATCH_SIZE = 100;

const silent: IMClientLogger = { debug: () => undefined, warn: () => undefined, error: () => undefined };

/** A push about to be queued: who, and where their connection lives (null = offline). */
interface Target extends IMUserInfo {
  serverId: number | null;
}

/**
 * The SDK a business service uses to push to connected users (box-im `IMClient`). It looks
 * up where each (user, terminal) is connected, queues one job per push node for that
 * node, and reports delivery results to listeners: NOT_ONLINE at once, SUCCESS or
 * NOT_FIND_CHANNEL when the push node has written (or failed to write) the frame.
 */
export class IMClient {
  private readonly bus: Bus;
  private readonly routes: RoutingTable;
  private readonly revocations: TokenRevocations;
  private readonly appName: string;
  private readonly logger: IMClientLogger;
  private readonly listeners: ListenerRegistry;
  private readonly checkNodeLiveness: boolean;
  private consumer: Consumer | undefined;

  constructor(options: IMClientOptions) {
    this.bus = options.bus;
    this.routes = new RoutingTable(options.bus);
    this.revocations = new TokenRevocations(options.bus);
    this.appName = options.appName;
    this.logger = options.logger ?? silent;
    this.listeners = new ListenerRegistry(this.logger);
    this.checkNodeLiveness = options.checkNodeLiveness ?? true;
  }

  /** Start consuming this service's three result queues (one blocking consumer). Idempotent. */
  start(): void {
    if (this.consumer) return;
    const kinds = new Map<string, PushKind>([
      [RedisKey.privateResultQueue(this.appName), 'private'],
      [RedisKey.groupResultQueue(this.appName), 'group'],
      [RedisKey.systemResultQueue(this.appName), 'system'],
    ]);
    this.consumer = consumeJson<IMSendResult | IMBatchSendResult>(
      this.bus,
      [...kinds.keys()],
      (queue, items) => {
        const kind = kinds.get(queue);
        if (!kind || !this.listeners.has(kind)) return;
        return this.listeners.dispatch(kind, kind === 'private' ? (items as IMSendResult[]) : flatten(items));
      },
      {
        batchSize: RESULT_BATCH_SIZE,
        onError: (error, queue) => this.logger.error({ err: error, queue }, 'result consumer failed'),
        onMalformed: (queue) => this.logger.warn({ queue }, 'malformed result dropped'),
      },
    );
  }

  /** Stop consuming results; resolves once the batch in flight is handled. */
  async stop(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = undefined;
    await consumer?.stop();
  }

  /** Listen for private delivery results; returns the unsubscribe function. */
  onPrivateResult<T = unknown>(listener: ResultListener<T>): () => void {
    return this.listeners.add('private', listener as ResultListener);
  }

  /** Listen for group delivery results (one result per receiver); returns the unsubscribe function. */
  onGroupResult<T = unknown>(listener: ResultListener<T>): () => void {
    return this.listeners.add('group', listener as ResultListener);
  }

  /** Listen for system delivery results (one result per receiver); returns the unsubscribe function. */
  onSystemResult<T = unknown>(listener: ResultListener<T>): () => void {
    return this.listeners.add('system', listener as ResultListener);
  }

  /**
   * Push a private message (cmd 3): one job per online receiver terminal, as box-im does.
   * With `sendToSelf`, the sender's other online terminals get a copy without results
   * (not when the sender writes to themself: the receiver side already covers them).
   */
  async sendPrivateMessage<T>(message: PrivateMessage<T>): Promise<void> {
    const { sender, recvId, data } = message;
    const sendResult = message.sendResult ?? true;
    const receivers = pairs([recvId], message.recvTerminals ?? ALL_TERMINALS);
    const self = (message.sendToSelf ?? true) && recvId !== sender.id ? otherTerminals(sender) : [];
    const targets = await this.locate([...receivers, ...self]);
    const toReceivers = targets.slice(0, receivers.length);
    const toSelf = targets.slice(receivers.length);

    const jobs = new Map<number, IMRecvInfo<T>[]>();
    const queueJob = (target: Target, withResult: boolean): void => {
      if (target.serverId === null) return;
      addTo(jobs, target.serverId, {
        cmd: Cmd.PRIVATE_MESSAGE,
        sender,
        receivers: [user(target)],
        sendResult: withResult,
        ...(withResult ? { serviceName: this.appName } : {}),
        data,
      });
    };
    for (const target of toReceivers) queueJob(target, sendResult);
    for (const target of toSelf) queueJob(target, false);
    await this.enqueue('private', jobs);
    if (sendResult)
      await this.reportOffline(
        'private',
        sender,
        toReceivers.filter((t) => t.serverId === null),
        data,
      );
  }

  /**
   * Push a group message (cmd 4): one MGET over recvIds × recvTerminals, then ONE job per
   * push node holding all its receivers. With `sendToSelf`, the sender's other online
   * terminals (those not already receivers) get a copy without results.
   */
  async sendGroupMessage<T>(message: GroupMessage<T>): Promise<void> {
    const self = (message.sendToSelf ?? true) ? otherTerminals(message.sender) : [];
    await this.fanOut('group', Cmd.GROUP_MESSAGE, message, message.sender, self);
  }

  /** Push a system message (cmd 5) to `recvIds`, like a group message without a sender. */
  async sendSystemMessage<T>(message: SystemMessage<T>): Promise<void> {
    await this.fanOut('system', Cmd.SYSTEM_MESSAGE, message, undefined, []);
  }

  /**
   * Revoke every token of the user issued before `atMs` (password change, ban, deletion):
   * push nodes refuse them at login from now on, and apply force-logout orders and ban notices
   * to the connections that logged in with them. `ttlMs`: the longest token lifetime.
   */
  async revokeTokens(userId: number, atMs: number, ttlMs: number): Promise<void> {
    await this.revocations.revoke(userId, atMs, ttlMs);
  }

  /** Whether a token of the user issued at `issuedAtMs` (undefined: unknown) was revoked. */
  async isTokenRevoked(userId: number, issuedAtMs: number | undefined): Promise<boolean> {
    return this.revocations.isRevoked(userId, issuedAtMs);
  }

  /**
   * Close the user's connections whose token was revoked (call `revokeTokens` first): each
   * push node holding one gets a force-logout order, writes the FORCE_LOGOUT frame (cmd 2) and
   * closes the socket. A connection that logged in again since, with a valid token, is kept.
   */
  async forceLogout(userId: number, terminals: readonly number[] = ALL_TERMINALS): Promise<void> {
    const targets = await this.locate(pairs([userId], terminals));
    await Promise.all(
      targets
        .filter((t) => t.serverId !== null)
        .map((t) =>
          pushJson(this.bus, RedisKey.forceLogoutQueue(t.serverId!), [
            { userId: t.id, terminal: t.terminal },
          ]),
        ),
    );
  }

  /** Whether the user has at least one online terminal (one MGET of the three terminal keys). */
  async isOnline(userId: number): Promise<boolean> {
    return (await this.getOnlineTerminals([userId])).has(userId);
  }

  async isOnlineTerminal(userId: number, terminal: number): Promise<boolean> {
    return (await this.routes.lookupOne({ userId, terminal })) !== null;
  }

  /** Online terminals of each user; users with none are absent from the map. */
  async getOnlineTerminals(userIds: readonly number[]): Promise<Map<number, number[]>> {
    const targets = await this.locate(pairs(userIds, ALL_TERMINALS));
    const online = new Map<number, number[]>();
    for (const target of targets) {
      if (target.serverId === null) continue;
      const terminals = online.get(target.id);
      if (terminals) terminals.push(target.terminal);
      else online.set(target.id, [target.terminal]);
    }
    return online;
  }

  /** The users among `userIds` with at least one online terminal, in the order given. */
  async getOnlineUsers(userIds: readonly number[]): Promise<number[]> {
    const online = await this.getOnlineTerminals(userIds);
    return [...new Set(userIds)].filter((id) => online.has(id));
  }

  private async fanOut<T>(
    kind: 'group' | 'system',
    cmd: number,
    message: GroupMessage<T> | SystemMessage<T>,
    sender: IMUserInfo | undefined,
    self: IMUserInfo[],
  ): Promise<void> {
    const sendResult = message.sendResult ?? true;
    const terminals = message.recvTerminals ?? ALL_TERMINALS;
    // Pairs as two parallel arrays, receivers first, then the sender's terminals not already
    // among them: 500 members × 3 terminals would otherwise cost several objects per pair.
    const recvIds = new Set(message.recvIds);
    const userIds: number[] = [];
    const pairTerminals: number[] = [];
    for (const id of recvIds) {
      for (const terminal of terminals) {
        userIds.push(id);
        pairTerminals.push(terminal);
      }
    }
    const receiverCount = userIds.length;
    for (const s of self) {
      if (recvIds.has(s.id) && terminals.includes(s.terminal)) continue;
      userIds.push(s.id);
      pairTerminals.push(s.terminal);
    }
    const serverIds = await this.locateParallel(userIds, pairTerminals);
    if (this.checkNodeLiveness) {
      await this.forgetDeadNodes((i) => ({ userId: userIds[i]!, terminal: pairTerminals[i]! }), serverIds);
    }

    const toReceivers = new Map<number, IMUserInfo[]>();
    const toSelf = new Map<number, IMUserInfo[]>();
    const offline: IMUserInfo[] = [];
    for (let i = 0; i < userIds.length; i++) {
      const serverId = serverIds[i] ?? null;
      const who: IMUserInfo = { id: userIds[i]!, terminal: pairTerminals[i]! };
      if (serverId !== null) addTo(i < receiverCount ? toReceivers : toSelf, serverId, who);
      else if (i < receiverCount && sendResult) offline.push(who);
    }

    const jobs = new Map<number, IMRecvInfo<T>[]>();
    for (const [serverId, receiversOfServer] of toReceivers) {
      addTo(jobs, serverId, {
        cmd,
        sender,
        receivers: receiversOfServer,
        sendResult,
        serviceName: this.appName,
        data: message.data,
      });
    }
    for (const [serverId, receiversOfServer] of toSelf) {
      addTo(jobs, serverId, {
        cmd,
        sender,
        receivers: receiversOfServer,
        sendResult: false,
        data: message.data,
      });
    }
    await this.enqueue(kind, jobs);
    if (sendResult) await this.reportOffline(kind, sender, offline, message.data);
  }

  /** `locate` for parallel arrays of pairs: the push node of each, null when offline. */
  private async locateParallel(userIds: number[], terminals: number[]): Promise<(number | null)[]> {
    if (userIds.length <= MGET_CHUNK) return this.routes.lookupParallel(userIds, terminals);
    const serverIds: (number | null)[] = [];
    for (let i = 0; i < userIds.length; i += MGET_CHUNK) {
      const chunk = await this.routes.lookupParallel(
        userIds.slice(i, i + MGET_CHUNK),
        terminals.slice(i, i + MGET_CHUNK),
      );
      for (const id of chunk) serverIds.push(id);
    }
    return serverIds;
  }

  /** Where each pair is connected, with MGETs of at most `MGET_CHUNK` keys. */
  private async locate(who: readonly IMUserInfo[]): Promise<Target[]> {
    const targets: Target[] = [];
    for (let i = 0; i < who.length; i += MGET_CHUNK) {
      const chunk = who.slice(i, i + MGET_CHUNK);
      const serverIds = await this.routes.lookup(chunk.map(toUserTerminal));
      chunk.forEach((u, j) => targets.push({ ...user(u), serverId: serverIds[j] ?? null }));
    }
    if (this.checkNodeLiveness) await this.dropDeadNodes(targets);
    return targets;
  }

  /**
   * Targets on a push node whose liveness key is gone (the node died without closing) count
   * as offline: nothing is queued for that node (its queue would only grow; the database
   * holds the message for the offline pull), and their routes are removed.
   */
  private async dropDeadNodes(targets: Target[]): Promise<void> {
    const serverIds = targets.map((t) => t.serverId);
    await this.forgetDeadNodes(targets, serverIds);
    targets.forEach((t, i) => (t.serverId = serverIds[i] ?? null));
  }

  /**
   * The liveness check of `dropDeadNodes` for parallel arrays: `serverIds[i]` (the node of
   * `who[i]`) becomes null where that node is dead, and the pair's route is removed.
   */
  private async forgetDeadNodes(
    who: readonly IMUserInfo[] | ((i: number) => UserTerminal),
    serverIds: (number | null)[],
  ): Promise<void> {
    const ids = [...new Set(serverIds.filter((id): id is number => id !== null))];
    if (ids.length === 0) return;
    const alive = await this.bus.mget(ids.map((id) => RedisKey.serverAlive(id)));
    const dead = new Set(ids.filter((_, i) => alive[i] === null));
    if (dead.size === 0) return;
    const pairAt = typeof who === 'function' ? who : (i: number) => toUserTerminal(who[i]!);
    const removals: Promise<unknown>[] = [];
    serverIds.forEach((serverId, i) => {
      if (serverId === null || !dead.has(serverId)) return;
      removals.push(this.routes.unregister(pairAt(i), serverId));
      serverIds[i] = null;
    });
    this.logger.warn(
      { deadNodes: [...dead], routes: removals.length },
      'push node not alive: nothing queued for it, its routes removed',
    );
    await Promise.all(removals);
  }

  /** RPUSH the jobs of each push node to its queue of `kind`, one command per node. */
  private async enqueue(kind: PushKind, jobs: Map<number, IMRecvInfo[]>): Promise<void> {
    const queueOf =
      kind === 'private'
        ? RedisKey.privateMessageQueue
        : kind === 'group'
          ? RedisKey.groupMessageQueue
          : RedisKey.systemMessageQueue;
    await Promise.all([...jobs].map(([serverId, items]) => pushJson(this.bus, queueOf(serverId), items)));
  }

  /** Hand NOT_ONLINE results for the offline receivers to the local listeners. */
  private async reportOffline<T>(
    kind: PushKind,
    sender: IMUserInfo | undefined,
    offline: readonly IMUserInfo[],
    data: T,
  ): Promise<void> {
    if (offline.length === 0 || !this.listeners.has(kind)) return;
    const results: IMSendResult<T>[] = offline.map((receiver) => ({
      sender,
      receiver: user(receiver),
      code: SendCode.NOT_ONLINE,
      data,
    }));
    await this.listeners.dispatch(kind, results);
  }
}

function user(u: IMUserInfo): IMUserInfo {
  return { id: u.id, terminal: u.terminal };
}

function toUserTerminal(u: IMUserInfo): UserTerminal {
  return { userId: u.id, terminal: u.terminal };
}

/** Every (id, terminal) pair, ids deduplicated, in the order given. */
function pairs(ids: readonly number[], terminals: readonly number[]): IMUserInfo[] {
  return [...new Set(ids)].flatMap((id) => terminals.map((terminal) => ({ id, terminal })));
}

/** The sender's terminals other than the one they sent from. */
function otherTerminals(sender: IMUserInfo): IMUserInfo[] {
  return ALL_TERMINALS.filter((t) => t !== sender.terminal).map((terminal) => ({ id: sender.id, terminal }));
}

function addTo<V>(map: Map<number, V[]>, key: number, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** One result per receiver out of box-im's batch results. */
function flatten(items: readonly (IMSendResult | IMBatchSendResult)[]): IMSendResult[] {
  return items.flatMap((item) =>
    'receivers' in item && Array.isArray(item.receivers)
      ? item.receivers.map((receiver) => ({
          sender: item.sender,
          receiver,
          code: item.code,
          data: item.data,
        }))
      : [],
  );
}
