/**
 * A TCP relay to Redis for fault tests, so that no other client of the shared Redis is
 * touched. `cut()` destroys every connection and refuses new ones until `restore()`, as a
 * network failure or a stopped Redis does; `pause()` keeps the connections open but forwards
 * nothing until `restore()`, as a paused (SIGSTOP) or wedged Redis does.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

export type Relay = Awaited<ReturnType<typeof relay>>;

export async function relay(target: URL) {
  const sockets = new Set<Socket>();
  let down = false;
  let paused = false;
  const server: Server = createServer((inbound) => {
    if (down) {
      inbound.destroy();
      return;
    }
    const outbound = connect(Number(target.port || 6379), target.hostname);
    const pair: [Socket, Socket] = [inbound, outbound];
    for (const s of pair) {
      sockets.add(s);
      s.on('close', () => {
        sockets.delete(s);
        for (const other of pair) other.destroy();
      });
      s.on('error', () => undefined);
    }
    inbound.pipe(outbound).pipe(inbound);
    if (paused) for (const s of pair) s.pause();
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as { port: number };
  return {
    url: `redis://127.0.0.1:${port}${target.pathname}`,
    cut: () => {
      down = true;
      for (const s of sockets) s.destroy();
    },
    /** Stops reading every connection (what was sent waits in the kernel's buffers). */
    pause: () => {
      paused = true;
      for (const s of sockets) s.pause();
    },
    restore: () => {
      down = false;
      paused = false;
      for (const s of sockets) s.resume();
    },
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}
