import { ConfigError } from '@box-im/im-process';
import { describe, expect, it } from 'vitest';
import { loadPushNodeProcessConfig } from '../src/config';

describe('push node configuration', () => {
  const redis = { REDIS_URL: 'redis://127.0.0.1:6379' };

  it('takes Redis behind Sentinel or a Redis Cluster, and refuses what is no Redis URL', () => {
    const url = 'redis-sentinel://10.0.0.1:26379,10.0.0.2:26379/mymaster';
    expect(loadPushNodeProcessConfig({ REDIS_URL: url }).REDIS_URL).toBe(url);
    for (const cluster of [
      'redis-cluster://:pw@10.0.0.1:7000,10.0.0.2:7000',
      'redis-cluster://10.0.0.1:7000/0',
    ])
      expect(loadPushNodeProcessConfig({ REDIS_URL: cluster }).REDIS_URL).toBe(cluster);
    // A cluster has only database 0.
    expect(() => loadPushNodeProcessConfig({ REDIS_URL: 'redis-cluster://10.0.0.1:7000/3' })).toThrow(
      /database 0 only/,
    );
    expect(() => loadPushNodeProcessConfig({ REDIS_URL: 'http://127.0.0.1:6379' })).toThrow(/REDIS_URL/);
  });

  it('needs REDIS_URL', () => {
    expect(() => loadPushNodeProcessConfig({})).toThrow(ConfigError);
    expect(() => loadPushNodeProcessConfig({})).toThrow(/REDIS_URL is required/);
  });

  it('reads only its own variables: the refresh secret is the platform business', () => {
    const config = loadPushNodeProcessConfig({
      ...redis,
      NODE_ENV: 'production',
      JWT_ACCESS_SECRET: 'a-long-random-secret-of-32-bytes-0',
      JWT_REFRESH_SECRET: 'x', // invalid for the platform (too short), never read here
      DB_POOL_SIZE: 'not-a-number',
    });
    expect(config).not.toHaveProperty('JWT_REFRESH_SECRET');
    expect(config).not.toHaveProperty('DB_POOL_SIZE');
  });

  it('refuses the published access secret in production', () => {
    expect(() => loadPushNodeProcessConfig({ ...redis, NODE_ENV: 'production' })).toThrow(
      /JWT_ACCESS_SECRET/,
    );
  });
});
