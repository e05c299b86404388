/** Client temp ids: ms timestamp × 1000 + 3 random digits, strictly increasing per source. */
import type { Clock, Random } from '../platform';

export class TmpIds {
  private last = 0;

  constructor(
    private readonly clock: Pick<Clock, 'now'>,
    private readonly random: Random,
  ) {}

  next(now: number = this.clock.now()): string {
    const candidate = now * 1000 + Math.floor(this.random() * 1000);
    this.last = candidate > this.last ? candidate : this.last + 1;
    return String(this.last);
  }
}
