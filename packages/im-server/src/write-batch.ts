import type { RawSocket } from './ws-internals';

/**
 * The sockets written during one synchronous pass over a batch of push jobs, each corked at
 * its first frame of the pass: `flush()` uncorks them, so that a socket's frames of the pass
 * (one per job that names its session) leave in one `writev` instead of one `write` each.
 * Each frame stays a whole WebSocket frame, in job order; only the system calls (and the
 * loopback or NIC work per segment) are shared. The pass must not await before `flush()`:
 * a corked socket holds every write, ws's own included.
 */
export class WriteBatch {
  private readonly corked: RawSocket[] = [];

  /** Cork `socket` unless this pass did already (nothing else keeps a socket corked across a turn). */
  cork(socket: RawSocket): void {
    if (socket.writableCorked !== 0) return;
    socket.cork();
    this.corked.push(socket);
  }

  /**
   * Write out now what this pass holds for `socket` (its unsent bytes near the send bound);
   * later frames of the pass are held again. False when this pass holds nothing for it.
   */
  release(socket: RawSocket): boolean {
    if (socket.writableCorked === 0) return false;
    socket.uncork();
    return true;
  }

  /** Uncork every socket corked since the last flush (a released one again: a no-op). */
  flush(): void {
    const { corked } = this;
    for (let i = 0; i < corked.length; i++) corked[i]!.uncork();
    corked.length = 0;
  }
}
