import type { NoticeHandler, SubscribeOptions, Subscription } from '../bus';
import type { RedisClient } from './connect';

/** Events after which a subscriber connection may have missed messages. */
const DOWN_EVENTS = ['error', 'end', 'reconnecting', 'node-error', 'node-reconnecting', 'node-disconnect'];
/** Events after which it hears messages again (node-redis re-subscribes before "ready"). */
const UP_EVENTS = ['ready', 'node-ready'];

interface Listener {
  handler: NoticeHandler;
  onLive: ((live: boolean) => void) | undefined;
}

/**
 * Notices over Redis PUBLISH / SUBSCRIBE. Subscriptions share one connection of their own (a
 * subscribed connection takes no other commands), opened at the first subscribe; its
 * liveness follows the connection's events, told to every listener.
 */
export class RedisNotices {
  private subscriber: Promise<RedisClient> | undefined;
  private readonly channels = new Map<string, { listeners: Set<Listener>; ready: Promise<unknown> }>();
  private live = true;
  private closed = false;

  constructor(
    private readonly publisher: RedisClient,
    private readonly duplicate: () => RedisClient,
    private readonly onError: (error: unknown) => void,
  ) {}

  async publish(channel: string, message: string): Promise<void> {
    await this.publisher.publish(channel, message);
  }

  async subscribe(
    channel: string,
    handler: NoticeHandler,
    options: SubscribeOptions = {},
  ): Promise<Subscription> {
    if (this.closed) throw new Error('bus closed');
    const client = await (this.subscriber ??= this.open().catch((error: unknown) => {
      this.subscriber = undefined; // the next subscribe tries again
      throw error;
    }));
    const listener: Listener = { handler, onLive: options.onLive };
    let channelState = this.channels.get(channel);
    if (!channelState) {
      const listeners = new Set<Listener>();
      const ready = client.subscribe(channel, (message: string) => {
        for (const l of [...listeners]) {
          try {
            l.handler(message);
          } catch (error) {
            this.onError(error);
          }
        }
      });
      channelState = { listeners, ready };
      this.channels.set(channel, channelState);
    }
    const state = channelState;
    state.listeners.add(listener);
    try {
      await state.ready;
    } catch (error) {
      state.listeners.delete(listener);
      if (this.channels.get(channel) === state) this.channels.delete(channel);
      throw error;
    }
    const isLive = () => this.live;
    return {
      get live() {
        return isLive();
      },
      stop: async () => {
        if (!state.listeners.delete(listener) || state.listeners.size > 0) return;
        if (this.channels.get(channel) === state) this.channels.delete(channel);
        await client.unsubscribe(channel).catch((error: unknown) => this.onError(error));
      },
    };
  }

  private async open(): Promise<RedisClient> {
    const client = this.duplicate();
    const emitter = client as unknown as NodeJS.EventEmitter;
    for (const event of DOWN_EVENTS) emitter.on(event, (error?: unknown) => this.setLive(false, error));
    for (const event of UP_EVENTS) emitter.on(event, () => this.setLive(true));
    await client.connect();
    return client;
  }

  private setLive(live: boolean, error?: unknown): void {
    if (error instanceof Error) this.onError(error);
    if (this.closed || live === this.live) return;
    this.live = live;
    for (const { listeners } of this.channels.values()) for (const l of listeners) l.onLive?.(live);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.channels.clear();
    const subscriber = await this.subscriber?.catch(() => undefined);
    // Closing an idle subscriber: nothing to wait for.
    subscriber?.destroy();
  }
}
