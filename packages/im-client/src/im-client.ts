import { consumeJson, pushJson, RoutingTable, type Bus, type Consumer } from '@box-im/im-bus';
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
import { JobEncoder } from './job-encoder';
import { ListenerRegistry } from './listeners';
import { RouteLocator } from './route-locator';
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
  /**
   * Milliseconds the pushes may use a cached route (user, terminal → push node, or offline)
   * instead of reading its key. Push nodes publish a notice at every route change, which
   * drops the entry at once; the time to live bounds a lost notice. The cache is used once
   * `start()` has subscribed to the notices. 0 turns it off: do so next to push nodes that
   * publish no notices (box-im's Java im-server). @default 2000
   */
  routeCacheMs?: number;
  /**
   * Queue group and system jobs in our compact form (`IMCompactRecvInfo`: receivers as flat
   * id/terminal pairs, a third of the bytes) to the push nodes whose liveness key advertises
   * it. Needs `checkNodeLiveness` (the advertisement is read there); box-im's Java nodes
   * advertise nothing and always get box-im's form. @default true
   */
  compactJobs?: boolean;
}

/** Max result items taken per batch from the result queues. */
const RESULT_BATCH_SIZE = 100;

const silent: IMClientLogger = { debug: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * The SDK a business service uses to push to connected users (box-im `IMClient`). It looks
 * up where each (user, terminal) is connected, queues one job per push node for that
 * node, and reports delivery results to listeners: NOT_ONLINE at once, SUCCESS or
 * NOT_FIND_CHANNEL when the push node has written (or failed to write) the frame.
 */
export class IMClient {
  private readonly bus: Bus;
  private readonly routes: RoutingTable;
  private readonly appName: string;
  private readonly logger: IMClientLogger;
  private readonly listeners: ListenerRegistry;
  private readonly locator: RouteLocator;
  private readonly compactJobs: boolean;
  private consumer: Consumer | undefined;

  constructor(options: IMClientOptions) {
    this.bus = options.bus;
    this.routes = new RoutingTable(options.bus);
    this.appName = options.appName;
    this.logger = options.logger ?? silent;
    this.listeners = new ListenerRegistry(this.logger);
    this.compactJobs = options.compactJobs ?? true;
    this.locator = new RouteLocator({
      bus: options.bus,
      routes: this.routes,
      logger: this.logger,
      checkNodeLiveness: options.checkNodeLiveness ?? true,
      routeCacheMs: options.routeCacheMs ?? 2000,
    });
  }

  /**
   * Start consuming this service's three result queues (one blocking consumer) and, unless
   * `routeCacheMs` is 0, subscribe to the route notices and cache routes. Idempotent.
   */
  start(): void {
    if (this.consumer) return;
    this.locator.start();
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
    await Promise.all([consumer?.stop(), this.locator.stop()]);
  }

  /** Whether pushes use the route cache now (`start()` subscribed to the route notices). */
  get routeCacheEnabled(): boolean {
    return this.locator.cacheEnabled;
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
    const who = [...receivers, ...self];
    const serverIds = await this.locator.locate(
      who.map((u) => u.id),
      who.map((u) => u.terminal),
      true,
    );

    const jobs = new Map<number, IMRecvInfo<T>[]>();
    const offline: IMUserInfo[] = [];
    who.forEach((target, i) => {
      const serverId = serverIds[i] ?? null;
      const withResult = i < receivers.length && sendResult;
      if (serverId === null) {
        if (withResult) offline.push(target);
        return;
      }
      addTo(jobs, serverId, {
        cmd: Cmd.PRIVATE_MESSAGE,
        sender,
        receivers: [target],
        sendResult: withResult,
        ...(withResult ? { serviceName: this.appName } : {}),
        data,
      });
    });
    await this.enqueue(jobs);
    if (sendResult) await this.reportOffline('private', sender, offline, data);
  }

  /**
   * Push a group message (cmd 4): the routes of recvIds × recvTerminals (route cache, else one
   * MGET), then ONE job per push node holding all its receivers. With `sendToSelf`, the sender's other online
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
   * Close the user's connections whose token was revoked (revoke first with im-bus's
   * `RevocationCache.revoke`, as the platform does): each
   * push node holding one gets a force-logout order, writes the FORCE_LOGOUT frame (cmd 2) and
   * closes the socket. A connection that logged in again since, with a valid token, is kept.
   */
  async forceLogout(userId: number, terminals: readonly number[] = ALL_TERMINALS): Promise<void> {
    const who = pairs([userId], terminals);
    const serverIds = await this.locator.locate(
      who.map((u) => u.id),
      who.map((u) => u.terminal),
      false,
    );
    await Promise.all(
      who.map((u, i) => {
        const serverId = serverIds[i] ?? null;
        if (serverId === null) return Promise.resolve();
        return pushJson(this.bus, RedisKey.forceLogoutQueue(serverId), [
          { userId: u.id, terminal: u.terminal },
        ]);
      }),
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
    const who = pairs(userIds, ALL_TERMINALS);
    const serverIds = await this.locator.locate(
      who.map((u) => u.id),
      who.map((u) => u.terminal),
      false,
    );
    const online = new Map<number, number[]>();
    who.forEach((u, i) => {
      if ((serverIds[i] ?? null) === null) return;
      const terminals = online.get(u.id);
      if (terminals) terminals.push(u.terminal);
      else online.set(u.id, [u.terminal]);
    });
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
    // Repeated ids are dropped by the locator (no Set of every id per push).
    const recvIds = message.recvIds;
    // The sender's other terminals not already among the receivers get a copy without results.
    const senderIsReceiver = sender !== undefined && recvIds.includes(sender.id);
    const selfTerminals = self
      .filter((s) => !(senderIsReceiver && terminals.includes(s.terminal)))
      .map((s) => s.terminal);
    const withOffline = sendResult && this.listeners.has(kind);
    const routes = await this.locator.group(
      recvIds,
      terminals,
      withOffline,
      sender && selfTerminals.length > 0 ? { userId: sender.id, terminals: selfTerminals } : undefined,
    );

    // Every job of this push shares its fields but the receivers: encoded once.
    const toReceivers = new JobEncoder(cmd, sender, sendResult, this.appName, message.data);
    const toSelf = new JobEncoder(cmd, sender, false, undefined, message.data);
    const jobs = new Map<number, string[]>();
    for (const [serverId, pairs] of routes.byNode) {
      addTo(jobs, serverId, toReceivers.encode(pairs, this.compactFor(serverId)));
    }
    for (const [serverId, pairs] of routes.copiesByNode) {
      addTo(jobs, serverId, toSelf.encode(pairs, this.compactFor(serverId)));
    }
    await this.enqueueText(kind, jobs);
    if (withOffline) {
      const offline: IMUserInfo[] = [];
      const pairs = routes.offline;
      for (let i = 0; i < pairs.length; i += 2) offline.push({ id: pairs[i]!, terminal: pairs[i + 1]! });
      await this.reportOffline(kind, sender, offline, message.data);
    }
  }

  /** Whether jobs for the push node go in the compact form: if allowed and the node advertises it. */
  private compactFor(serverId: number): boolean {
    return this.compactJobs && this.locator.acceptsCompactJobs(serverId);
  }

  /** RPUSH the encoded jobs of each push node to its queue of `kind`, one command per node. */
  private async enqueueText(kind: PushKind, jobs: Map<number, string[]>): Promise<void> {
    const queueOf = kind === 'group' ? RedisKey.groupMessageQueue : RedisKey.systemMessageQueue;
    await Promise.all([...jobs].map(([serverId, items]) => this.bus.push(queueOf(serverId), items)));
  }

  /** RPUSH the private jobs of each push node to its queue, one command per node. */
  private async enqueue(jobs: Map<number, IMRecvInfo[]>): Promise<void> {
    await Promise.all(
      [...jobs].map(([serverId, items]) => pushJson(this.bus, RedisKey.privateMessageQueue(serverId), items)),
    );
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
