/**
 * Ways to take a push node's bus away while the rest of the world keeps it, the two fault
 * cases of socket.io's Redis adapter tests (the bus down during a login, during delivery):
 *
 * - Redis: a TCP relay between the node and Redis; `cut()` drops every connection through it
 *   and stops listening, so reconnections are refused as if Redis were down (the node's client
 *   retries in a loop, its commands wait and time out); `restore()` listens again on the same
 *   port. The network fault is real; nothing is mocked.
 * - memory: an in-process bus cannot go down, so the node sees it through a switch that makes
 *   every call fail while cut (consumers keep running: in-process delivery still happens).
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Bus } from '@box-im/im-bus';

export interface BusFault {
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

/** `bus` as seen through a switch: while cut, every call but consume/close rejects. */
export function switchableBus(bus: Bus): { bus: Bus; fault: BusFault } {
  let down = false;
  const view = new Proxy(bus, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      const fn = (value as (...a: unknown[]) => unknown).bind(target);
      if (prop === 'consume' || prop === 'close') return fn;
      return (...args: unknown[]) =>
        down ? Promise.reject(new Error('bus unavailable (test fault)')) : fn(...args);
    },
  });
  return {
    bus: view,
    fault: {
      cut: () => void (down = true),
      restore: () => void (down = false),
      close: () => Promise.resolve(),
    },
  };
}

/** A TCP relay to `target` (`redis://host:port`); returns the URL to connect through it. */
export async function tcpRelay(target: string): Promise<{ url: string; fault: BusFault }> {
  const { hostname, port } = new URL(target);
  const pairs = new Set<[Socket, Socket]>();
  const server: Server = createServer((inbound) => {
    const outbound = connect(Number(port || 6379), hostname);
    const pair: [Socket, Socket] = [inbound, outbound];
    pairs.add(pair);
    const drop = () => {
      inbound.destroy();
      outbound.destroy();
      pairs.delete(pair);
    };
    inbound.on('error', drop).on('close', drop);
    outbound.on('error', drop).on('close', drop);
    inbound.pipe(outbound);
    outbound.pipe(inbound);
  });
  const listen = (port: number) =>
    new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  await listen(0);
  const relayPort = (server.address() as AddressInfo).port;
  const url = new URL(target);
  url.hostname = '127.0.0.1';
  url.port = String(relayPort);
  const cutAll = () => {
    for (const [a, b] of pairs) {
      a.destroy();
      b.destroy();
    }
    pairs.clear();
  };
  return {
    url: url.toString(),
    fault: {
      cut: () => {
        server.close();
        cutAll();
      },
      restore: () => {
        if (!server.listening) void listen(relayPort);
      },
      close: async () => {
        cutAll();
        if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
      },
    },
  };
}
