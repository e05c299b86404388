import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach } from 'vitest';
import type { Bus } from '@box-im/im-bus';

/** What a notice suite works on; `bus` and `channel` are fresh for each test. */
export interface NoticeFixture {
  readonly bus: Bus;
  /** A channel no other test uses. */
  readonly channel: string;
  /** Another connection to the keys and channels of `bus` (another process's); closed after the test. */
  peer(): Promise<Bus>;
  /** A list whose items (subscriptions, caches) are stopped after each test, before the connections close. */
  stoppedAfterEach<T extends { stop(): Promise<void> }>(): T[];
}

/**
 * The per-test setup of a suite of notices on a bus, registered in the calling `describe`
 * (`makeBus` and `peerOf` as in `runBusContract`); `name` ends the channel's name.
 */
export function noticeFixture(
  makeBus: () => Promise<Bus>,
  peerOf: (bus: Bus) => Promise<Bus>,
  name: string,
): NoticeFixture {
  let bus: Bus | undefined;
  let channel = '';
  const peers: Bus[] = [];
  const lists: { stop(): Promise<void> }[][] = [];

  beforeEach(async () => {
    bus = await makeBus();
    channel = `t:${randomUUID()}:${name}`;
  });
  afterEach(async () => {
    await Promise.all(lists.flatMap((list) => list.splice(0)).map((s) => s.stop()));
    await Promise.all(peers.splice(0).map((p) => (p === bus ? Promise.resolve() : p.close())));
    await bus?.close();
  });

  return {
    get bus() {
      if (!bus) throw new Error('the fixture bus exists during a test only');
      return bus;
    },
    get channel() {
      return channel;
    },
    async peer() {
      const p = await peerOf(this.bus);
      peers.push(p);
      return p;
    },
    stoppedAfterEach<T extends { stop(): Promise<void> }>(): T[] {
      const list: T[] = [];
      lists.push(list);
      return list;
    },
  };
}

/**
 * `bus` seen through a proxy that keeps the `onLive` callback of the last subscription made
 * on it, so that a test can tell a subscriber its connection failed (`onLive(false)`) or came
 * back (`onLive(true)`) without breaking a real connection.
 */
export function watchLiveness(bus: Bus): { bus: Bus; onLive: (live: boolean) => void } {
  let onLive: ((live: boolean) => void) | undefined;
  const watched = new Proxy(bus, {
    get(target, prop) {
      if (prop === 'subscribe')
        return (...args: Parameters<Bus['subscribe']>) => {
          onLive = args[2]?.onLive;
          return target.subscribe(...args);
        };
      const value: unknown = Reflect.get(target, prop);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return {
    bus: watched,
    onLive: (live) => {
      if (!onLive) throw new Error('nothing subscribed through the watched bus');
      onLive(live);
    },
  };
}
