import sharp from 'sharp';
import { AppError, FileErrors } from '../errors';

/**
 * A bound on image work. sharp runs each pipeline on one of libuv's pool threads (4 unless
 * UV_THREADPOOL_SIZE says otherwise), the same threads password hashing (argon2) and file
 * I/O wait for. Without a bound, four slow decodes fill the pool and logins stall behind
 * them. So at most `concurrency` image jobs run at once; later ones wait in line, and past
 * `maxWaiting` the upload is refused (`IMAGE_BUSY`) rather than queued for ever.
 */
export class ImageWork {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    readonly concurrency: number,
    private readonly maxWaiting = 64,
  ) {
    // One libvips worker per pipeline: `concurrency` jobs then use at most that many cores.
    // The operation cache only helps when the same image is processed again; uploads never are.
    sharp.concurrency(1);
    sharp.cache(false);
  }

  /** Run `job` when a slot is free. */
  async run<T>(job: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) {
      if (this.waiting.length >= this.maxWaiting) throw new AppError(FileErrors.IMAGE_BUSY);
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await job();
    } finally {
      // Hand the slot straight to the next in line, or free it.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }

  /** Jobs running and waiting (tests, metrics). */
  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }
}
