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
        { NODE_ENV: 'production', JWT_ACCESS_SECRET: 'a-long-random-secret' },
        options,
      ),
    ).toThrow(/JWT_REFRESH_SECRET/);
    // A process without a refresh secret (the push node) never asks for one.
    expect(
      parseConfig(schema, { NODE_ENV: 'production', JWT_ACCESS_SECRET: 'a-long-random-secret' }).NODE_ENV,
    ).toBe('production');
  });

  it('maps the push node variables once for every process that runs a node', () => {
    const config = parseConfig(schema, { WS_IDLE_TIMEOUT_SECONDS: '30', JWT_ACCESS_SECRET: 'secret-secret' });
    expect(pushNodeSettings(config)).toEqual({
      jwtSecret: 'secret-secret',
      idleTimeoutMs: 30_000,
      onlineTtlSeconds: 600,
      maxPayloadBytes: 65_536,
      sendBufferBytes: 4 * 1024 * 1024,
      aliveTtlSeconds: 15,
    });
  });
});
