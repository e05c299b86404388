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
      JWT_ACCESS_SECRET: 'a-long-random-secret-of-32-bytes-1',
      JWT_REFRESH_SECRET: 'a-long-random-secret-of-32-bytes-2',
    });
    expect(ok.NODE_ENV).toBe('production');
  });

  it('refuses equal or short JWT secrets in production, with a message naming them', () => {
    const long = 'x'.repeat(32);
    const refuse = (env: Record<string, string>, message: RegExp) => {
      let error: unknown;
      try {
        loadPlatformConfig({ NODE_ENV: 'production', ...env });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toMatch(message);
    };
    refuse(
      { JWT_ACCESS_SECRET: long, JWT_REFRESH_SECRET: long },
      /JWT_ACCESS_SECRET, JWT_REFRESH_SECRET: must differ/,
    );
    refuse(
      { JWT_ACCESS_SECRET: 'x'.repeat(31), JWT_REFRESH_SECRET: 'y'.repeat(40) },
      /JWT_ACCESS_SECRET: must be at least 32 bytes/,
    );
    refuse(
      { JWT_ACCESS_SECRET: long, JWT_REFRESH_SECRET: 'short-but-8' },
      /JWT_REFRESH_SECRET: must be at least 32/,
    );
    refuse({ JWT_ACCESS_SECRET: long }, /JWT_REFRESH_SECRET: the default secret/);
    // Bytes, not characters: 11 Chinese characters are 33 bytes.
    expect(
      loadPlatformConfig({
        NODE_ENV: 'production',
        JWT_ACCESS_SECRET: '盒子即时通讯的访问令牌密钥',
        JWT_REFRESH_SECRET: long,
      }).NODE_ENV,
    ).toBe('production');
    // Outside production a laptop keeps the defaults.
    expect(loadPlatformConfig({ JWT_ACCESS_SECRET: long, JWT_REFRESH_SECRET: long }).NODE_ENV).toBe(
      'development',
    );
  });

  it('treats empty variables as unset and accepts an empty API prefix', () => {
    const config = loadPlatformConfig({ PORT: '', API_PREFIX: '' });
    expect(config.PORT).toBeUndefined();
    expect(config.API_PREFIX).toBe('');
    expect(loadPlatformConfig({ API_PREFIX: '/v3' }).API_PREFIX).toBe('/v3');
  });
});
