import { beforeEach, describe, expect, it } from 'vitest';
import { NoticeKeptMap, type Bus, type NoticeKeptMapOptions } from '@box-im/im-bus';
import { until } from '@box-im/im-process/testing';
import { noticeFixture, watchLiveness } from './notice-fixture';

/**
 * `NoticeKeptMap` on a real bus, run by `runBusContract` inside its suite (`makeBus`, `peerOf`
 * as there: a peer is another process's connection to the same channels). Each map here
 * forgets the key a notice names, as the platform's caches do; `store` stands for the database.
 */
export function noticeKeptMapContract(makeBus: () => Promise<Bus>, peerOf: (bus: Bus) => Promise<Bus>): void {
  describe('NoticeKeptMap', () => {
    const f = noticeFixture(makeBus, peerOf, 'kept');
    const maps = f.stoppedAfterEach<NoticeKeptMap<string, string | undefined>>();
    /** What the store holds, the keys read from it and the notices heard, in order. */
    let store: Map<string, string>;
    let reads: string[];
    let heard: string[];
    beforeEach(() => {
      store = new Map();
      reads = [];
      heard = [];
    });

    const keptMap = async (
      on: Bus = f.bus,
      options: Partial<Omit<NoticeKeptMapOptions, 'channel' | 'onNotice'>> = {},
      start = true,
    ) => {
      const map: NoticeKeptMap<string, string | undefined> = new NoticeKeptMap(on, {
        channel: f.channel,
        onNotice: (key) => {
          heard.push(key);
          map.forget(key);
        },
        maxEntries: 100,
        maxAgeMs: 60_000,
        ...options,
      });
      maps.push(map);
      if (start) await map.start();
      return map;
    };
    const read = (key: string) => () => {
      reads.push(key);
      return Promise.resolve(store.get(key));
    };

    it('reads a key once while the notices are heard, and again once any connection announces it', async () => {
      const [here, there] = [await keptMap(), await keptMap(await f.peer())];
      expect(there.caching).toBe(true);
      store.set('a', '1');
      expect(await there.get('a', read('a'))).toBe('1');
      store.set('a', '2'); // changed without a notice: the remembered answer stands
      expect(await there.get('a', read('a'))).toBe('1');
      expect(reads).toEqual(['a']);
      expect(await there.get('none', read('none'))).toBeUndefined(); // an absent answer is remembered too
      expect(await there.get('none', read('none'))).toBeUndefined();
      expect(there.peek('none')).toEqual({ value: undefined });
      expect(there.peek('never')).toBeUndefined();
      expect(reads).toEqual(['a', 'none']);
      await here.publish('a');
      await until(() => there.peek('a') === undefined, 2000);
      expect(await there.get('a', read('a'))).toBe('2');
      expect(reads).toEqual(['a', 'none', 'a']);
    });

    it('remembers nothing while the notices are not heard, and forgets all when they return', async () => {
      const idle = await keptMap(f.bus, {}, false); // not started
      expect(idle.caching).toBe(false);
      store.set('a', '1');
      await idle.get('a', read('a'));
      idle.set('b', 'x');
      expect(await idle.get('a', read('a'))).toBe('1');
      expect(idle.peek('b')).toBeUndefined();
      expect(reads).toEqual(['a', 'a']);

      const { bus: watched, onLive } = watchLiveness(f.bus);
      const map = await keptMap(watched);
      await map.get('a', read('a'));
      expect(map.size).toBe(1);
      onLive(false); // the subscriber's connection failed: notices may be missed
      expect(map.caching).toBe(false);
      expect(map.size).toBe(0);
      await map.get('a', read('a'));
      expect(map.size).toBe(0);
      onLive(true); // heard again
      expect(map.caching).toBe(true);
      await map.get('a', read('a'));
      expect(map.size).toBe(1);
      expect(reads).toEqual(['a', 'a', 'a', 'a', 'a']);
      await map.stop();
      expect(map.caching).toBe(false);
      expect(map.size).toBe(0);
    });

    it('does not store what a read begun before a change, a set or a liveness change answered', async () => {
      const { bus: watched, onLive } = watchLiveness(f.bus);
      const map = await keptMap(watched);
      /** A read held open until released, answering what the store held when it began. */
      const slowRead = (key: string) => {
        const before = store.get(key);
        let release!: () => void;
        const released = new Promise<void>((r) => (release = r));
        return { read: () => released.then(() => before), release: () => release() };
      };
      const changes: Array<() => void | Promise<void>> = [
        () => map.forget('k'),
        () => map.set('other', 'y'), // any change: the guard does not tell keys apart
        async () => {
          await map.publish('k'); // heard by this process too
          await until(() => heard.includes('k'), 2000);
        },
        () => {
          onLive(false);
          onLive(true);
        },
      ];
      for (const change of changes) {
        store.set('k', 'old');
        const slow = slowRead('k');
        const pending = map.get('k', slow.read);
        store.set('k', 'new');
        await change();
        slow.release();
        expect(await pending).toBe('old'); // the caller gets what it read...
        expect(map.peek('k')).toBeUndefined(); // ...but it is not remembered
        expect(await map.get('k', read('k'))).toBe('new');
        map.forget('k');
        heard = [];
      }
    });

    it('keeps a set answer, bounded in number (oldest dropped) and in age', async () => {
      let now = 1_000_000;
      const map = await keptMap(f.bus, { maxEntries: 2, maxAgeMs: 1000, now: () => now });
      map.set('a', '1');
      await map.get('b', read('b'));
      expect(map.peek('a')).toEqual({ value: '1' });
      map.set('a', '2'); // set again: now the newest
      map.set('c', '3');
      expect(map.size).toBe(2);
      expect(map.peek('b')).toBeUndefined(); // the longest remembered was dropped
      expect(map.peek('a')).toEqual({ value: '2' });
      now += 999;
      expect(map.peek('c')).toEqual({ value: '3' });
      now += 1;
      expect(map.peek('c')).toBeUndefined();
      store.set('c', '4');
      expect(await map.get('c', read('c'))).toBe('4');
      expect(reads).toEqual(['b', 'c']);
    });
  });
}
