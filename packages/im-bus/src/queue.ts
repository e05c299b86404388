import type { Bus, ConsumeOptions, Consumer } from './bus';

/** JSON helpers over the bus's string queues. Items that are not JSON objects are skipped. */
export async function pushJson(bus: Bus, queue: string, items: readonly unknown[]): Promise<void> {
  await bus.push(
    queue,
    items.map((item) => JSON.stringify(item)),
  );
}

export function consumeJson<T>(
  bus: Bus,
  queues: readonly string[],
  handler: (queue: string, items: T[]) => Promise<void> | void,
  options: ConsumeOptions & { onMalformed?: (queue: string, raw: string) => void } = {},
): Consumer {
  return bus.consume(
    queues,
    async (queue, raw) => {
      const items: T[] = [];
      for (const text of raw) {
        try {
          const value: unknown = JSON.parse(text);
          if (typeof value === 'object' && value !== null) items.push(value as T);
          else options.onMalformed?.(queue, text);
        } catch {
          options.onMalformed?.(queue, text);
        }
      }
      if (items.length > 0) await handler(queue, items);
    },
    options,
  );
}
