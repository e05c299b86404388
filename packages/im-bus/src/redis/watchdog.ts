import type { RedisClient } from './connect';

/** What a caller of a command sees when the watchdog gave up on the connection. */
export class RedisNotAnsweringError extends Error {
  constructor(timeoutMs: number) {
    super(`Redis did not answer within ${timeoutMs} ms: connection reset, pending commands failed`);
    this.name = 'RedisNotAnsweringError';
  }
}

/**
 * The command timeout of one connection, kept by one timer instead of one `AbortSignal` per
 * command (node-redis's `commandOptions.timeout` makes one per command: 6–10 % of a pusher's
 * CPU in the fan-out profile). Every `timeoutMs / 8` it sends a PING unless one is still
 * outstanding; when a PING has waited `timeoutMs` (Redis paused or gone, the network down, the
 * client reconnecting in vain) it resets the connection: node-redis fails every command sent
 * or queued on it, and the client connects again. A command therefore fails at most about
 * 1.25 × `timeoutMs` after Redis stopped answering, whether it was already written (a paused
 * Redis, which a per-command timeout never caught) or waiting for a reconnection.
 */
export class ConnectionWatchdog {
  private readonly timer: NodeJS.Timeout;
  /** When the outstanding PING was sent (ms, monotonic), or -1 when none is. */
  private probeSentAt = -1;
  /** Bumped by every reset, so that a PING of an earlier connection is ignored. */
  private epoch = 0;

  constructor(
    private readonly client: RedisClient,
    private readonly timeoutMs: number,
    private readonly onError: (error: unknown) => void,
  ) {
    this.timer = setInterval(() => this.tick(), Math.max(5, Math.floor(timeoutMs / 8)));
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private tick(): void {
    const now = performance.now();
    if (this.probeSentAt < 0) {
      this.probeSentAt = now;
      const epoch = this.epoch;
      const done = () => {
        if (epoch === this.epoch) this.probeSentAt = -1;
      };
      this.client.ping().then(done, done);
    } else if (now - this.probeSentAt >= this.timeoutMs) {
      this.reset();
    }
  }

  /** Fail everything pending on the connection (node-redis rejects it) and connect again. */
  private reset(): void {
    this.epoch++;
    this.probeSentAt = -1;
    this.onError(new RedisNotAnsweringError(this.timeoutMs));
    this.client.destroy();
    // Retries by the client's reconnect strategy until Redis answers; commands sent
    // meanwhile wait in its queue, watched by the next PING.
    this.client.connect().catch((error: unknown) => this.onError(error));
  }
}
