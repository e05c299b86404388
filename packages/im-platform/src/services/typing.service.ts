import { randomUUID } from 'node:crypto';
import { Limits, MessageType, type UserSession } from '@box-im/im-common';
import { PlatformKey } from '../bus-keys';
import { AppError, PrivateMessageErrors } from '../errors';
import { pushBestEffort } from './pushes';
import type { ServiceDeps } from './deps';

export type TypingServiceDeps = Pick<ServiceDeps, 'friendships' | 'im' | 'bus' | 'clock' | 'log'> & {
  /** Signals per sender and receiver at most once per this many ms. @default Limits.TYPING_INTERVAL_MS */
  intervalMs?: number;
};

/**
 * "X is typing" in private chats: a transient push (type TYPING, which box-im's clients skip)
 * to the receiver's terminals only. Nothing is stored; calls within the interval of the last
 * pushed one are answered OK without pushing. The throttle is a bus key per sender and
 * receiver (`SET NX PX`), so it holds across every platform process sharing the bus.
 */
export class TypingService {
  private readonly intervalMs: number;

  constructor(private readonly deps: TypingServiceDeps) {
    this.intervalMs = deps.intervalMs ?? Limits.TYPING_INTERVAL_MS;
  }

  /** Tell `recvId` that I am typing; returns whether a push went out. */
  async typing(session: UserSession, recvId: number): Promise<boolean> {
    const me = session.userId;
    // The private send's rule: only to a friend.
    if (recvId === me || !(await this.deps.friendships.isFriend(me, recvId))) {
      throw new AppError(PrivateMessageErrors.SEND_NOT_FRIEND);
    }
    if (!(await this.claim(PlatformKey.typing(me, recvId)))) return false;
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

  /**
   * Take the interval's slot: the key is created only if absent and lives one interval, so
   * of concurrent calls (on any process) one wins. The key holds the platform clock's time of
   * the claim; a key older than the interval by that clock (the bus expires by its own) is
   * taken over, deleted only if unchanged and claimed again, so one caller still wins.
   */
  private async claim(key: string): Promise<boolean> {
    const { bus, clock } = this.deps;
    const now = clock.now().getTime();
    const value = `${now}:${randomUUID()}`;
    const options = { ttlMs: this.intervalMs, onlyIfAbsent: true };
    if (await bus.set(key, value, options)) return true;
    const held = await bus.get(key);
    if (held !== null) {
      const at = Number(held.split(':')[0]);
      if (Number.isFinite(at) && now - at < this.intervalMs) return false;
      await bus.delIfEquals(key, held);
    }
    return bus.set(key, value, options);
  }
}
