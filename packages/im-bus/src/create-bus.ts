import type { Bus } from './bus';
import { MemoryBus } from './memory/memory-bus';
import { RedisBus } from './redis/redis-bus';

/** The Redis bus when a URL is given, else the in-process one. */
export async function createBus(
  redisUrl: string | undefined,
  options: { onError?: (e: unknown) => void; keyPrefix?: string } = {},
): Promise<Bus> {
  if (!redisUrl) return new MemoryBus();
  return RedisBus.connect({ url: redisUrl, ...options });
}
