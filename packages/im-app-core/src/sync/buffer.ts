/**
 * Live frames that arrive while an offline pull runs are held here and replayed after it,
 * so the pull and the live stream merge in order (box-im does the same).
 */
export class FrameBuffer<T> {
  private held: T[] | null = null;

  get holding(): boolean {
    return this.held !== null;
  }

  hold(): void {
    if (!this.held) this.held = [];
  }

  /** Returns true when the frame was held. */
  offer(frame: T): boolean {
    if (!this.held) return false;
    this.held.push(frame);
    return true;
  }

  /** Stop holding and hand back what was held, oldest first. */
  release(): T[] {
    const out = this.held ?? [];
    this.held = null;
    return out;
  }
}
