import { describe, expect, it } from 'vitest';
import { ConfigError } from '@box-im/im-process';
import { databaseUrl, loadPlatformConfig } from '../../src/config';

describe('configuration', () => {
  it('has working defaults', () => {
    const config = loadPlatformConfig({});
    expect(config).toMatchObject({
      API_PREFIX: '/api',
      DATA_DIR: './data',
      ACCESS_TOKEN_TTL_SECONDS: 1800,
      STORAGE_DRIVER: 'disk',
    });
    expect(databaseUrl(config)).toBe('sqlite:./data/im.db');
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('names the variable that is wrong', () => {
    expect(() => loadPlatformConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadPlatformConfig({ DATABASE_URL: 'oracle://x' })).toThrow(/DATABASE_URL/);
    expect(() => loadPlatformConfig({ REDIS_URL: 'http://x' })).toThrow(/REDIS_URL/);
    expect(() => loadPlatformConfig({ WEBRTC_ICE_SERVERS: '[{' })).toThrow(/WEBRTC_ICE_SERVERS/);
    expect(() => loadPlatformConfig({ API_PREFIX: 'api' })).toThrow(ConfigError);
  });

  it('refuses the default JWT secrets in production', () => {
    expect(() => loadPlatformConfig({ NODE_ENV: 'production' })).toThrow(/JWT_ACCESS_SECRET/);
    const ok = loadPlatformConfig({
      NODE_ENV: 'production',
      JWT_ACCESS_SECRET: 'a-long-random-secret-1',
      JWT_REFRESH_SECRET: 'a-long-random-secret-2',
    });
    expect(ok.NODE_ENV).toBe('production');
  });

  it('treats empty variables as unset and accepts an empty API prefix', () => {
    const config = loadPlatformConfig({ PORT: '', API_PREFIX: '' });
    expect(config.PORT).toBeUndefined();
    expect(config.API_PREFIX).toBe('');
    expect(loadPlatformConfig({ API_PREFIX: '/v3' }).API_PREFIX).toBe('/v3');
  });
});
