import type { NoticeHandler, NoticeSubscription } from '../notices';

/**
 * Notices inside one process: `publish` hands the message to every handler of the channel
 * before it resolves (nothing can be lost, so `onGap` never fires).
 */
export class MemoryNotices {
  private readonly channels = new Map<string, Set<NoticeHandler>>();

  publish(channel: string, message: string): Promise<void> {
    for (const handler of [...(this.channels.get(channel) ?? [])]) {
      try {
        handler(message);
      } catch {
        // A handler must not throw; one that does must not stop the others.
      }
    }
    return Promise.resolve();
  }

  subscribe(channel: string, handler: NoticeHandler): Promise<NoticeSubscription> {
    let handlers = this.channels.get(channel);
    if (!handlers) this.channels.set(channel, (handlers = new Set()));
    const own = (message: string) => handler(message);
    handlers.add(own);
    return Promise.resolve({
      unsubscribe: () => {
        const set = this.channels.get(channel);
        set?.delete(own);
        if (set?.size === 0) this.channels.delete(channel);
        return Promise.resolve();
      },
    });
  }

  clear(): void {
    this.channels.clear();
  }
}
