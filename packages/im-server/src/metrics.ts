import { RedisKey, type PushKind } from '@box-im/im-common';
import type { Bus } from '@box-im/im-bus';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** What a push node counts, in the process's registry (served at `/metrics`). */
export class PushMetrics {
  readonly logins: Counter<'result'>;
  readonly pushes: Counter<'kind' | 'result'>;
  readonly deliverySeconds: Histogram<'kind'>;
  readonly errors: Counter<'source'>;
  readonly slowReadersCut: Counter;

  constructor(registry: Registry, node: { serverId: number; bus: Bus; connections: () => number }) {
    const registers = [registry];
    const serverId = String(node.serverId);
    new Gauge({
      name: 'im_ws_connections',
      help: 'Open WebSockets of this push node, logged in or not',
      labelNames: ['server_id'],
      registers,
      collect() {
        this.set({ server_id: serverId }, node.connections());
      },
    });
    this.logins = new Counter({
      name: 'im_ws_logins_total',
      help: 'WebSocket logins by result (ok, refused: bad or revoked token, error)',
      labelNames: ['result'],
      registers,
    });
    this.pushes = new Counter({
      name: 'im_pushes_total',
      help: 'Frames addressed to receivers of this node, by kind and result (sent, offline, error)',
      labelNames: ['kind', 'result'],
      registers,
    });
    this.deliverySeconds = new Histogram({
      name: 'im_push_delivery_seconds',
      help: 'Time from a batch of pushes taken off the queue to its frames written and results posted',
      labelNames: ['kind'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers,
    });
    this.errors = new Counter({
      name: 'im_push_errors_total',
      help: 'Errors of the push node by source (login, delivery, route)',
      labelNames: ['source'],
      registers,
    });
    this.slowReadersCut = new Counter({
      name: 'im_ws_slow_readers_closed_total',
      help: 'Sockets closed because their unsent data passed the send-buffer bound',
      registers,
    });
    const queues: [string, string][] = [
      ['force_logout', RedisKey.forceLogoutQueue(node.serverId)],
      ...(['private', 'group', 'system'] as const satisfies readonly PushKind[]).map(
        (kind): [string, string] => [kind, queueOf(kind, node.serverId)],
      ),
    ];
    new Gauge({
      name: 'im_push_queue_depth',
      help: 'Items waiting in the queues of this push node',
      labelNames: ['server_id', 'queue'],
      registers,
      async collect() {
        const depths = await Promise.all(queues.map(([, key]) => node.bus.length(key).catch(() => NaN)));
        queues.forEach(([queue], i) => this.set({ server_id: serverId, queue }, depths[i]!));
      },
    });
  }
}

function queueOf(kind: PushKind, serverId: number): string {
  switch (kind) {
    case 'private':
      return RedisKey.privateMessageQueue(serverId);
    case 'group':
      return RedisKey.groupMessageQueue(serverId);
    case 'system':
      return RedisKey.systemMessageQueue(serverId);
  }
}
