import { Limits, MessageType, type UserSession } from '@box-im/im-common';
import { AppError, PrivateMessageErrors } from '../errors';
import { pushBestEffort } from './pushes';
import type { ServiceDeps } from './deps';

export type TypingServiceDeps = Pick<ServiceDeps, 'friends' | 'im' | 'clock' | 'log'> & {
  /** Signals per sender and receiver at most once per this many ms. @default Limits.TYPING_INTERVAL_MS */
  intervalMs?: number;
  /** Throttle entries kept before old ones are dropped. @default 10000 */
  maxEntries?: number;
};

/**
 * "X is typing" in private chats: a transient push (type TYPING, which box-im's clients skip)
 * to the receiver's terminals only. Nothing is stored; calls within the interval of the last
 * pushed one are answered OK without pushing. The throttle is per platform process (a client
 * that reaches two processes may get one extra signal, which is harmless).
 */
export class TypingService {
  private readonly last = new Map<string, number>();
  private readonly intervalMs: number;
  private readonly maxEntries: number;

  constructor(private readonly deps: TypingServiceDeps) {
    this.intervalMs = deps.intervalMs ?? Limits.TYPING_INTERVAL_MS;
    this.maxEntries = deps.maxEntries ?? 10_000;
  }

  /** Tell `recvId` that I am typing; returns whether a push went out. */
  async typing(session: UserSession, recvId: number): Promise<boolean> {
    const me = session.userId;
    // The private send's rule: only to a friend.
    if (recvId === me || !(await this.deps.friends.isFriend(me, recvId))) {
      throw new AppError(PrivateMessageErrors.SEND_NOT_FRIEND);
    }
    const now = this.deps.clock.now().getTime();
    const key = `${me}:${recvId}`;
    const previous = this.last.get(key);
    if (previous !== undefined && now - previous < this.intervalMs) return false;
    this.remember(key, now);
    const { im, log } = this.deps;
    await pushBestEffort(log, 'typing', () =>
      im.sendPrivateMessage({
        sender: { id: me, terminal: session.terminal },
        recvId,
        sendToSelf: false,
        sendResult: false,
        data: { type: MessageType.TYPING, sendId: me, recvId, content: '' },
      }),
    );
    return true;
  }

  private remember(key: string, now: number): void {
    this.last.delete(key);
    this.last.set(key, now);
    if (this.last.size <= this.maxEntries) return;
    // Oldest first (Map keeps insertion order): drop entries whose interval has passed.
    for (const [k, at] of this.last) {
      if (this.last.size <= this.maxEntries / 2 && now - at < this.intervalMs) break;
      this.last.delete(k);
    }
  }
}
