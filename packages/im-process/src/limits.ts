import { isIP } from 'node:net';
import { z } from 'zod';

/** A rate limit: at most `max` events per `windowMs` milliseconds (a fixed window). */
export interface RateSpec {
  max: number;
  windowMs: number;
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `COUNT/WINDOW`, e.g. `20/10m`, `600/1m`, `5/30s`, `100/1d` (s, m, h or d). */
export const rateSpec = z
  .string()
  .regex(/^\d+\/\d+[smhd]$/, 'must be COUNT/WINDOW, e.g. 20/10m (window unit s, m, h or d)')
  .transform((text): RateSpec => {
    const [count = '0', window = '1m'] = text.split('/');
    const unit = window.slice(-1);
    return { max: Number(count), windowMs: Number(window.slice(0, -1)) * (UNIT_MS[unit] ?? 60_000) };
  })
  .refine((spec) => spec.max >= 1 && spec.windowMs >= 1000, 'needs a count >= 1 and a window >= 1s');

/** What TRUST_PROXY parses to: fastify's `trustProxy` (false, true, a hop count or addresses). */
export type TrustProxy = boolean | number | string[];

const OFF = new Set(['off', 'false', 'no', '0']);
const ON = new Set(['on', 'true', 'yes']);

function isAddressOrCidr(entry: string): boolean {
  const [address = '', bits, ...rest] = entry.split('/');
  if (rest.length > 0) return false;
  const family = isIP(address);
  if (family === 0) return false;
  if (bits === undefined) return true;
  const n = Number(bits);
  return /^\d+$/.test(bits) && n <= (family === 4 ? 32 : 128);
}

/**
 * Whose `X-Forwarded-For`/`-Proto`/`-Host` headers are believed: `off` (default: nobody,
 * the socket's peer is the client), `on` (everybody: only behind a proxy that overwrites
 * them), a hop count (`1` = the nearest proxy), or a comma list of proxy addresses and CIDRs.
 */
export const trustProxySetting = z.string().transform((text, ctx): TrustProxy => {
  const value = text.trim().toLowerCase();
  if (OFF.has(value)) return false;
  if (ON.has(value)) return true;
  if (/^\d+$/.test(value)) return Number(value);
  const entries = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = entries.filter((entry) => !isAddressOrCidr(entry));
  if (entries.length === 0 || bad.length > 0) {
    ctx.addIssue({
      code: 'custom',
      message: `must be on, off, a hop count or a comma list of addresses/CIDRs (bad: ${bad.join(', ')})`,
    });
    return z.NEVER;
  }
  return entries;
});
