import type { RedisClient, RedisConnection } from './connect';
import type { NoticeHandler, NoticeOptions, NoticeSubscription } from '../notices';

/**
 * Notices over Redis PUBLISH / SUBSCRIBE. Subscriptions share one subscriber connection of
 * their own (a connection in subscriber mode runs no other command), opened at the first
 * subscription. node-redis subscribes again after a reconnection; the notices published
 * meanwhile are lost, which `onGap` reports to each subscription.
 */
export class RedisNotices {
  private subscriber: Promise<RedisClient> | undefined;
  private readonly gapListeners = new Set<() => void>();
  private connectedOnce = false;

  constructor(
    private readonly connection: RedisConnection,
    private readonly onError: (error: unknown) => void,
  ) {}

  async publish(channel: string, message: string): Promise<void> {
    await this.connection.client.publish(channel, message);
  }

  async subscribe(
    channel: string,
    handler: NoticeHandler,
    options: NoticeOptions = {},
  ): Promise<NoticeSubscription> {
    const subscriber = await this.open();
    const listener = (message: string) => {
      try {
        handler(message);
      } catch (error) {
        this.onError(error);
      }
    };
    await subscriber.subscribe(channel, listener);
    const onGap = options.onGap;
    if (onGap) this.gapListeners.add(onGap);
    return {
      unsubscribe: async () => {
        if (onGap) this.gapListeners.delete(onGap);
        await subscriber.unsubscribe(channel, listener);
      },
    };
  }

  private open(): Promise<RedisClient> {
    this.subscriber ??= (async () => {
      const client = this.connection.duplicate();
      client.on('error', (error: unknown) => this.onError(error));
      // 'ready' fires at every (re)connection: from the second on, notices may have been missed.
      client.on('ready', () => {
        if (this.connectedOnce) for (const gap of [...this.gapListeners]) gap();
        this.connectedOnce = true;
      });
      await client.connect();
      this.connectedOnce = true;
      return client;
    })();
    return this.subscriber;
  }

  async close(): Promise<void> {
    const subscriber = this.subscriber;
    this.subscriber = undefined;
    this.gapListeners.clear();
    if (!subscriber) return;
    const client = await subscriber.catch(() => undefined);
    client?.destroy();
  }
}
