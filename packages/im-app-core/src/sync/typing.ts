/**
 * Typing indicator (private chats): who is typing to me right now, from TYPING frames, and a
 * throttled "I am typing" signal for the chat I type in. Nothing of it is stored.
 */
import { Limits } from '@box-im/im-common';
import type { Clock, TimerHandle } from '../platform';

export interface TypingOptions {
  clock: Clock;
  /** Sends the signal (`POST /message/private/typing`); failures are ignored. */
  send(peerId: number): Promise<unknown>;
  /** The set of peers typing to me changed. */
  onChange?: (typing: ReadonlySet<number>) => void;
  /** @default Limits.TYPING_SHOW_MS */
  showMs?: number;
  /** @default Limits.TYPING_INTERVAL_MS */
  intervalMs?: number;
}

export class TypingTracker {
  private readonly timers = new Map<number, TimerHandle>();
  private readonly sentAt = new Map<number, number>();
  private readonly showMs: number;
  private readonly intervalMs: number;

  constructor(private readonly options: TypingOptions) {
    this.showMs = options.showMs ?? Limits.TYPING_SHOW_MS;
    this.intervalMs = options.intervalMs ?? Limits.TYPING_INTERVAL_MS;
  }

  /** Peers typing to me now. */
  typing(): ReadonlySet<number> {
    return new Set(this.timers.keys());
  }

  isTyping(peerId: number): boolean {
    return this.timers.has(peerId);
  }

  /** A TYPING frame from `peerId`: show it for `showMs` after the last one. */
  received(peerId: number): void {
    const { clock } = this.options;
    const old = this.timers.get(peerId);
    if (old !== undefined) clock.clearTimeout(old);
    this.timers.set(
      peerId,
      clock.setTimeout(() => this.stop(peerId), this.showMs),
    );
    if (old === undefined) this.changed();
  }

  /** The peer's message arrived (or the chat closed): they are no longer typing. */
  stop(peerId: number): void {
    const timer = this.timers.get(peerId);
    if (timer === undefined) return;
    this.options.clock.clearTimeout(timer);
    this.timers.delete(peerId);
    this.changed();
  }

  /** I typed in the chat with `peerId`: tell them, at most once per interval. */
  typed(peerId: number): void {
    const now = this.options.clock.now();
    const last = this.sentAt.get(peerId);
    if (last !== undefined && now - last < this.intervalMs) return;
    this.sentAt.set(peerId, now);
    void this.options.send(peerId).catch(() => undefined);
  }

  /** Forget everything (logout). */
  clear(): void {
    for (const timer of this.timers.values()) this.options.clock.clearTimeout(timer);
    this.timers.clear();
    this.sentAt.clear();
    this.changed();
  }

  private changed(): void {
    this.options.onChange?.(this.typing());
  }
}
