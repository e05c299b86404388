/**
 * Bounded, seeded fuzz of every route of the OpenAPI document (issue 9): each declared body
 * field, query and path parameter gets wrong types, huge and negative numbers, odd unicode,
 * long strings and deep JSON, alone or together, as JSON, text, form or raw bytes. Every
 * answer must be box-im's envelope (HTTP below 500, a numeric code, a message; never the
 * internal error), nothing may be logged at error level, and no promise may be left
 * rejected. A failing case prints its seed and request, so it can be replayed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLogs } from '@box-im/im-process/testing';
import {
  ENGINES,
  startTestApp,
  type ApiResult,
  type TestApp,
  type TestUser,
} from '@box-im/im-platform/testing';

const SEED = Number(process.env['IM_FUZZ_SEED'] ?? 20261130);
const CASES_PER_ROUTE = 24;

/** mulberry32: small, fast and deterministic. */
function prng(seed: number): () => number {
  let s = seed | 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  anyOf?: Schema[];
  enum?: unknown[];
};

interface Route {
  method: string;
  path: string;
  params: { in: string; name: string; schema: Schema }[];
  body?: Schema;
  multipart: boolean;
}

function deep(depth: number, leaf: unknown): unknown {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
}

const NUMBERS = [0, -1, -2147483649, 2 ** 31, 2 ** 53 + 2, 2 ** 63, 1e308, -1e308, 1.5, -0.0001, 1e-300];
const STRINGS = [
  '',
  ' ',
  'x'.repeat(300),
  'y'.repeat(70_000),
  '😀'.repeat(2000),
  '\u202eevil\u202c',
  'a\u0000b',
  '\ud800',
  'e\u0301\u0301\u0301',
  '"><img src=x onerror=alert(1)>',
  "' or 1=1 --",
  '../../etc/passwd',
  '1e300',
  '-1',
  '９９',
  'NaN',
  'null',
  '[]',
  '{}',
  'ℌ𝔢𝔩𝔩𝔬',
];

function valueFor(random: () => number): unknown {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  switch (Math.floor(random() * 8)) {
    case 0:
      return pick(NUMBERS);
    case 1:
    case 2:
      return pick(STRINGS);
    case 3:
      return pick([null, true, false, [], {}, [1, 'a', null]]);
    case 4:
      return deep(1 + Math.floor(random() * 60), pick([1, 'x', null]));
    case 5:
      return Array.from({ length: Math.floor(random() * 3000) }, (_, i) => (random() < 0.5 ? i : String(-i)));
    case 6:
      return { [pick(STRINGS).slice(0, 50) || 'k']: pick(NUMBERS), __proto__: { polluted: true } };
    default:
      return Math.floor(random() * 1000) + 1; // plausible, so later checks are reached too
  }
}

/** A body for a declared object schema: each field kept plausible or replaced by junk. */
function bodyFor(schema: Schema | undefined, random: () => number): unknown {
  if (!schema?.properties || random() < 0.15) return valueFor(random);
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(schema.properties)) {
    const roll = random();
    if (roll < 0.15) continue; // missing
    out[name] = roll < 0.35 ? plausible(schema.properties[name]!, random) : valueFor(random);
  }
  if (random() < 0.2) out['unknownField'] = valueFor(random);
  return out;
}

function plausible(schema: Schema, random: () => number): unknown {
  const s = schema.anyOf?.[0] ?? schema;
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  if (s.enum) return s.enum[0];
  if (type === 'integer' || type === 'number') return Math.floor(random() * 5) + 1;
  if (type === 'boolean') return random() < 0.5;
  if (type === 'array') return [plausible(s.items ?? {}, random)];
  if (type === 'object') return bodyFor(s, random);
  return 'text';
}

/** Percent-encoding that survives lone surrogates (sent as the invalid UTF-8 they would be). */
function enc(text: string): string {
  return text
    .split(/([\ud800-\udfff])/u)
    .map((part) => (/^[\ud800-\udfff]$/u.test(part) ? '%ED%A0%80' : encodeURIComponent(part)))
    .join('');
}

function paramText(random: () => number): string {
  const v = random() < 0.3 ? String(Math.floor(random() * 50) + 1) : valueFor(random);
  return typeof v === 'string' ? v : JSON.stringify(v);
}

describe.each(ENGINES)('schema-driven HTTP fuzz on %s', (engine) => {
  let t: TestApp;
  let user: TestUser;
  let routes: Route[];
  const logs = captureLogs('error');
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => void rejections.push(reason);

  beforeAll(async () => {
    process.on('unhandledRejection', onRejection);
    t = await startTestApp({ engine, logger: logs.logger });
    user = await t.newUser('fz');
    const other = await t.newUser('fz');
    await t.befriend(user, other);
    await user.api.post('/group/create', { name: 'fuzz' });
    await user.api.post('/message/private/send', { recvId: other.id, content: 'x', type: 0 });
    const doc = (await t.running.app.inject('/api/doc')).json<{
      paths: Record<
        string,
        Record<
          string,
          {
            parameters?: Route['params'];
            requestBody?: { content: Record<string, { schema: Schema }> };
          }
        >
      >;
    }>();
    routes = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({
        method: method.toUpperCase(),
        path: path.replace(/^\/api/, ''),
        params: op.parameters ?? [],
        body: op.requestBody?.content['application/json']?.schema,
        multipart: Boolean(op.requestBody?.content['multipart/form-data']) || path.endsWith('/upload'),
      })),
    );
  });
  afterAll(async () => {
    process.off('unhandledRejection', onRejection);
    await t.close();
  });

  it(`answers ${CASES_PER_ROUTE} malformed requests per route with the envelope (seed ${SEED})`, async () => {
    expect(routes.length).toBeGreaterThanOrEqual(45);
    const random = prng(SEED);
    const failures: string[] = [];
    let requests = 0;
    const started = Date.now();
    for (const route of routes) {
      for (let i = 0; i < CASES_PER_ROUTE; i++) {
        let url = route.path.replace(/\{([^}]+)\}/g, () => enc(paramText(random)));
        const query = route.params
          .filter((p) => p.in === 'query' && random() < 0.8)
          .map((p) => `${enc(p.name)}=${enc(paramText(random))}`);
        if (random() < 0.1) query.push(`${enc(paramText(random))}=1`);
        if (random() < 0.05) query.push('bad=%E0%A4%A');
        if (query.length) url += `?${query.join('&')}`;
        const roll = random();
        let body: unknown;
        const headers: Record<string, string> = {};
        if (route.method !== 'GET') {
          if (route.multipart && roll < 0.5) {
            const data = new FormData();
            const bytes = Buffer.from(
              Array.from({ length: Math.floor(random() * 400) }, () => random() * 256),
            );
            data.append(
              random() < 0.7 ? 'file' : 'other',
              new Blob([new Uint8Array(bytes)]),
              paramText(random),
            );
            if (random() < 0.5) data.append('isPermanent', paramText(random));
            body = data;
          } else if (roll < 0.75) {
            body = JSON.stringify(bodyFor(route.body, random));
          } else if (roll < 0.85) {
            body = '{"a":' + '['.repeat(5000);
          } else if (roll < 0.93) {
            body = paramText(random);
            headers['content-type'] = 'text/plain';
          } else {
            body = 'a=1&b=2';
            headers['content-type'] = 'application/x-www-form-urlencoded';
          }
        }
        let res: ApiResult;
        try {
          res = await user.api.request(route.method, url, body, headers);
        } catch (error) {
          failures.push(`${route.method} ${url}: no JSON answer (${String(error)})`);
          continue;
        }
        requests++;
        const key = res.headers.get('x-error-key');
        const envelope =
          res.status < 500 &&
          typeof res.code === 'number' &&
          typeof res.message === 'string' &&
          (res.code === 200 || res.message !== '') &&
          key !== 'INTERNAL';
        if (!envelope) {
          const shown = typeof body === 'string' ? body.slice(0, 120) : '(form)';
          const said = String(res.message).slice(0, 160);
          failures.push(
            `${route.method} ${url.slice(0, 160)} ${shown} → ${res.status} ${res.code} ${key} ${said}`,
          );
        }
        if (res.code === 401) {
          // the fuzz changed the password: log in again with a fresh user
          user = await t.newUser('fz');
        }
      }
    }
    const elapsed = Date.now() - started;
    console.log(
      `HTTP fuzz on ${engine}: ${requests} requests on ${routes.length} routes in ${elapsed} ms (seed ${SEED})`,
    );
    expect(failures, failures.slice(0, 15).join('\n')).toEqual([]);
    const errors = logs.entries.filter((e) => e.level >= 50);
    expect(errors.map((e) => `${e.msg} ${JSON.stringify(e['err'] ?? '').slice(0, 300)}`)).toEqual([]);
    expect(rejections).toEqual([]);
    expect(requests).toBeGreaterThan(routes.length * CASES_PER_ROUTE * 0.9);
  }, 60_000);

  it('answers what the fuzz found with a declared error (ids past 2^53, bad URLs, long params)', async () => {
    const cases: [string, string, string][] = [
      ['GET', '/group/find/1e300', 'VALIDATION'],
      ['GET', '/user/find/9223372036854775807', 'VALIDATION'],
      ['GET', '/friend/find/9007199254740992', 'VALIDATION'],
      ['GET', '/message/private/history?friendId=1e300&page=1&size=10', 'VALIDATION'],
      ['GET', '/message/private/loadOfflineMessage?minId=1e300', 'VALIDATION'],
      ['GET', '/user/find/%ED%A0%80', 'BAD_URL'],
      ['GET', `/user/find/${'9'.repeat(120)}`, 'PARAM_TOO_LONG'],
    ];
    for (const [method, url, key] of cases) {
      const res = await user.api.request(method, url);
      expect(res.status, url).toBe(200);
      expect(res.headers.get('x-error-key'), `${url}: ${res.message}`).toBe(key);
    }
    const dnd = await user.api.put('/group/dnd', { groupId: '1e300', isDnd: true });
    expect(dnd.message).toContain('groupId');
  });
});
