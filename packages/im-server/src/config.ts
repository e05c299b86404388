import { ConfigError, parseConfig, processConfigShape, pushNodeConfigShape } from '@box-im/im-process';
import { z } from 'zod';

/** Every variable of the push-node process (`npm run start:server`). */
export const pushNodeProcessSchema = z.object({ ...processConfigShape, ...pushNodeConfigShape });
export type PushNodeProcessConfig = Readonly<z.infer<typeof pushNodeProcessSchema>> & { REDIS_URL: string };

/** The push-node process's configuration; REDIS_URL is required (routes and queues live there). */
export function loadPushNodeProcessConfig(source: Record<string, string | undefined>): PushNodeProcessConfig {
  const config = parseConfig(pushNodeProcessSchema, source);
  const redisUrl = config.REDIS_URL;
  if (!redisUrl) {
    throw new ConfigError(
      'REDIS_URL is required: a stand-alone push node shares routes and queues through Redis.',
    );
  }
  return { ...config, REDIS_URL: redisUrl };
}
