/**
 * Notices: fire-and-forget messages to every current subscriber of a channel (Redis
 * PUBLISH / SUBSCRIBE semantics). A notice reaches the subscribers present when it is
 * published, at most once; nothing is stored, so a subscriber whose connection dropped
 * misses the notices of that time and is told so through `onGap`. Use them for hints
 * whose loss is bounded by something else (a cache with a time to live), never for data.
 */

/**
 * Called with each notice of the channel, in the order published (on a Redis Cluster each
 * PUBLISH may enter through another node: notices can overtake each other). Must not throw.
 */
export type NoticeHandler = (message: string) => void;

export interface NoticeOptions {
  /**
   * Called when notices may have been missed: the subscriber's connection was lost and is
   * back (subscribed again). Never called on the memory bus.
   */
  onGap?: () => void;
}

export interface NoticeSubscription {
  /** Stop receiving; resolves once unsubscribed. */
  unsubscribe(): Promise<void>;
}
