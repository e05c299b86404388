import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  ConfigError,
  envBoolean,
  parseConfig,
  processConfigShape,
  pushNodeConfigShape,
  pushNodeSettings,
} from '../src';

const schema = z.object({ ...processConfigShape, ...pushNodeConfigShape, FLAG: envBoolean.default(false) });

describe('parseConfig', () => {
  it('applies defaults, freezes, and treats empty variables as unset', () => {
    const config = parseConfig(schema, { PORT: '', FLAG: 'yes' });
    expect(config).toMatchObject({
      NODE_ENV: 'development',
      HOST: '0.0.0.0',
      FLAG: true,
      WS_IDLE_TIMEOUT_SECONDS: 60,
    });
    expect(config.PORT).toBeUndefined();
    expect(parseConfig(schema, { FLAG: 'on' }).FLAG).toBe(true);
    expect(parseConfig(schema, { FLAG: 'off' }).FLAG).toBe(false);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('names every bad variable in a ConfigError', () => {
    const error = (() => {
      try {
        parseConfig(schema, { PORT: 'eighty', FLAG: 'maybe' });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/PORT/);
    expect((error as Error).message).toMatch(/FLAG/);
  });

  it('refuses published secrets in production, only those the schema declares', () => {
    expect(() => parseConfig(schema, { NODE_ENV: 'production' })).toThrow(/JWT_ACCESS_SECRET/);
    const withRefresh = z.object({
      ...processConfigShape,
      JWT_REFRESH_SECRET: z.string().default('published-2'),
    });
    const options = { publishedSecrets: { JWT_REFRESH_SECRET: 'published-2' } };
    expect(() =>
      parseConfig(
        withRefresh,
        { NODE_ENV: 'production', JWT_ACCESS_SECRET: 'a-long-random-secret-of-32-bytes-0' },
        options,
      ),
    ).toThrow(/JWT_REFRESH_SECRET/);
    // A process without a refresh secret (the push node) never asks for one.
    expect(
      parseConfig(schema, { NODE_ENV: 'production', JWT_ACCESS_SECRET: 'a-long-random-secret-of-32-bytes-0' })
        .NODE_ENV,
    ).toBe('production');
  });

  it('maps the push node variables once for every process that runs a node', () => {
    const config = parseConfig(schema, { WS_IDLE_TIMEOUT_SECONDS: '30', JWT_ACCESS_SECRET: 'secret-secret' });
    expect(pushNodeSettings(config)).toEqual({
      jwtSecret: 'secret-secret',
      idleTimeoutMs: 30_000,
      onlineTtlSeconds: 600,
      maxPayloadBytes: 65_536,
      connectLimit: { max: 300, windowMs: 60_000 },
      trustProxy: false,
      sendBufferBytes: 4 * 1024 * 1024,
      aliveTtlSeconds: 15,
    });
    expect(pushNodeSettings(parseConfig(schema, { RATE_LIMIT: 'off' })).connectLimit).toBeNull();
  });
});

describe('rate limit and proxy settings', () => {
  const parse = (env: Record<string, string>) => parseConfig(schema, env);

  it('reads COUNT/WINDOW limits and refuses malformed ones', () => {
    expect(parse({ RATE_LIMIT_WS_CONNECT_IP: '20/10m' }).RATE_LIMIT_WS_CONNECT_IP).toEqual({
      max: 20,
      windowMs: 600_000,
    });
    expect(parse({ RATE_LIMIT_WS_CONNECT_IP: '5/30s' }).RATE_LIMIT_WS_CONNECT_IP.windowMs).toBe(30_000);
    for (const bad of ['20', '20/10', '0/1m', 'x/1h', '5/0s'])
      expect(() => parse({ RATE_LIMIT_WS_CONNECT_IP: bad })).toThrow(/RATE_LIMIT_WS_CONNECT_IP/);
    expect(parse({}).RATE_LIMIT).toBe(true);
    expect(parse({ RATE_LIMIT: 'off' }).RATE_LIMIT).toBe(false);
  });

  it('reads TRUST_PROXY as off, on, a hop count or a list of addresses and CIDRs', () => {
    expect(parse({}).TRUST_PROXY).toBe(false);
    expect(parse({ TRUST_PROXY: 'off' }).TRUST_PROXY).toBe(false);
    expect(parse({ TRUST_PROXY: 'on' }).TRUST_PROXY).toBe(true);
    expect(parse({ TRUST_PROXY: '2' }).TRUST_PROXY).toBe(2);
    expect(parse({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1,::1' }).TRUST_PROXY).toEqual([
      '10.0.0.0/8',
      '127.0.0.1',
      '::1',
    ]);
    expect(() => parse({ TRUST_PROXY: 'proxy.example' })).toThrow(/TRUST_PROXY/);
    expect(() => parse({ TRUST_PROXY: '10.0.0.0/33' })).toThrow(/TRUST_PROXY/);
  });
});
