/**
 * Frames that arrive while an offline pull is running are held here and replayed after
 * it, so the pull and the live stream merge in order (box-im does the same).
 */
export class FrameBuffer<T> {
  private held: T[] | null = null;

  get holding(): boolean {
    return this.held !== null;
  }
  hold(): void {
    this.held ??= [];
  }
  /** Returns true when the frame was buffered. */
  offer(frame: T): boolean {
    if (!this.held) return false;
    this.held.push(frame);
    return true;
  }
  release(): T[] {
    const out = this.held ?? [];
    this.held = null;
    return out;
  }
}
