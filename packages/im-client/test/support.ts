/**
 * Buses for the SDK tests (memory always, Redis with a random key prefix when
 * IM_TEST_REDIS_URL is set) and a recorder of what the SDK pushes and looks up.
 */
import { randomUUID } from 'node:crypto';
import { MemoryBus, RedisBus, type Bus } from '@box-im/im-bus';

export interface BusUnderTest {
  name: string;
  /** A fresh, isolated bus, and a function that closes it and removes its keys. */
  open: () => Promise<{ bus: Bus; dispose: () => Promise<void> }>;
}

export function busesUnderTest(): BusUnderTest[] {
  const buses: BusUnderTest[] = [
    {
      name: 'memory',
      open: () => {
        const bus = new MemoryBus();
        return Promise.resolve({ bus, dispose: () => bus.close() });
      },
    },
  ];
  const url = process.env['IM_TEST_REDIS_URL'];
  if (url) {
    buses.push({
      name: 'redis',
      open: async () => {
        const keyPrefix = `im-test:${randomUUID()}:`;
        const bus = await RedisBus.connect({ url, keyPrefix });
        return {
          bus,
          dispose: async () => {
            await bus.close();
            await RedisBus.dropKeyspace(url, keyPrefix);
          },
        };
      },
    });
  }
  return buses;
}

export interface BusCalls {
  pushes: { queue: string; items: unknown[] }[];
  mgets: number[];
}

/** Wrap a bus to record `push` calls (items parsed as JSON) and `mget` sizes. */
export function recordCalls(bus: Bus, calls: BusCalls): Bus {
  return new Proxy(bus, {
    get(target, prop) {
      if (prop === 'push') {
        return (queue: string, items: readonly string[]) => {
          calls.pushes.push({ queue, items: items.map((i) => JSON.parse(i) as unknown) });
          return target.push(queue, items);
        };
      }
      if (prop === 'mget') {
        return (keys: readonly string[]) => {
          calls.mgets.push(keys.length);
          return target.mget(keys);
        };
      }
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

export { until } from '@box-im/im-process/testing';
