/**
 * Black-box helpers for the wire-compatibility suites: requests shaped exactly like box-im's
 * unmodified clients send them (axios in im-web, uni.request in im-uniapp) and field/type
 * checks for the parts of each answer the clients read.
 */
import { expect } from 'vitest';
import type { Frame, TestServer, TestSocket, TestUser } from '../../testing';

export interface Envelope<T = any> {
  code: number;
  message: string;
  data: T;
}

export interface Reply<T = any> extends Envelope<T> {
  /** HTTP status of the answer. */
  status: number;
  /** The body exactly as received. */
  raw: string;
  /** Top-level keys of the body. */
  keys: string[];
}

const BROWSER_HEADERS = {
  accept: 'application/json, text/plain, */*',
  'accept-language': 'zh-CN,zh;q=0.9,en;q=0.8',
};

async function send(url: string, init: RequestInit): Promise<Reply> {
  const res = await fetch(url, init);
  const raw = await res.text();
  let body: Envelope;
  try {
    body = JSON.parse(raw) as Envelope;
  } catch {
    body = { code: Number.NaN, message: `non-JSON body: ${raw.slice(0, 200)}`, data: undefined };
  }
  return {
    ...body,
    status: res.status,
    raw,
    keys: body && typeof body === 'object' ? Object.keys(body).sort() : [],
  };
}

export interface AxiosLike {
  data?: unknown;
  params?: Record<string, string | number | boolean>;
  headers?: Record<string, string>;
}

/**
 * im-web's `httpRequest.js`: axios with `accessToken = encodeURIComponent(token)`; an object
 * `data` is sent as JSON with `Content-Type: application/json`, a string `data` as is, and no
 * content type when there is no data.
 */
export function webHttp(t: TestServer, token?: () => string | undefined) {
  return async function call<T = any>(method: string, url: string, opts: AxiosLike = {}): Promise<Reply<T>> {
    const headers: Record<string, string> = { ...BROWSER_HEADERS };
    const tok = token?.();
    if (tok) headers['accessToken'] = encodeURIComponent(tok);
    let body: string | undefined;
    if (opts.data !== undefined) {
      if (typeof opts.data === 'string') {
        body = opts.data;
        headers['content-type'] = 'application/x-www-form-urlencoded';
      } else {
        body = JSON.stringify(opts.data);
        headers['content-type'] = 'application/json';
      }
    }
    for (const [k, v] of Object.entries(opts.headers ?? {}))
      headers[k.toLowerCase() === 'content-type' ? 'content-type' : k] = v;
    let full = `${t.url}/api${url}`;
    if (opts.params) {
      const q = new URLSearchParams(
        Object.entries(opts.params).map(([k, v]): [string, string] => [k, String(v)]),
      );
      full += (url.includes('?') ? '&' : '?') + q.toString();
    }
    return send(full, { method: method.toUpperCase(), headers, body });
  };
}

/** im-web's client for a test user (token read at call time, so refreshes are picked up). */
export function web(t: TestServer, user: TestUser) {
  return webHttp(t, () => user.api.accessToken);
}

/**
 * im-uniapp's `common/request.js`: `uni.request` with the raw token, default
 * `Content-Type: application/json`, and `data: options.data || {}` — so every non-GET
 * request carries a JSON body, `{}` when the page passed none.
 */
export function uniHttp(t: TestServer, token?: () => string | undefined) {
  return async function call<T = any>(
    method: string,
    url: string,
    data?: unknown,
    header: Record<string, string> = {},
  ): Promise<Reply<T>> {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...header };
    const tok = token?.();
    if (tok && !('accessToken' in header)) headers['accessToken'] = tok;
    const m = method.toUpperCase();
    let full = `${t.url}/api${url}`;
    let body: string | undefined;
    if (m === 'GET') {
      const params = Object.entries((data ?? {}) as Record<string, unknown>);
      if (params.length) {
        const q = new URLSearchParams(params.map(([k, v]): [string, string] => [k, String(v)]));
        full += (url.includes('?') ? '&' : '?') + q.toString();
      }
    } else {
      body = JSON.stringify(data ?? {});
    }
    return send(full, { method: m, headers, body });
  };
}

export function uni(t: TestServer, user: TestUser) {
  return uniHttp(t, () => user.api.accessToken);
}

/** Plain fetch for hand-made request shapes. */
export function rawRequest(
  t: TestServer,
  method: string,
  url: string,
  headers: Record<string, string> = {},
  body?: string,
) {
  return send(`${t.url}/api${url}`, { method, headers, body });
}

// ---------------------------------------------------------------------------------------------
// Shape checks

export type Kind = 'number' | 'string' | 'boolean' | 'null' | 'array' | 'object' | 'absent';

function kindOf(v: unknown): Kind {
  if (v === undefined) return 'absent';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v as Kind;
}

/**
 * Every key of `spec` must be present with one of the listed JSON kinds, e.g.
 * `{ id: 'number', isDnd: 'boolean|null' }`. Reports every mismatch at once.
 */
export function expectFields(obj: unknown, spec: Record<string, string>, where = 'data'): void {
  const problems: string[] = [];
  if (obj === null || typeof obj !== 'object') {
    problems.push(`${where} is ${kindOf(obj)}, expected an object`);
  } else {
    for (const [key, kinds] of Object.entries(spec)) {
      const allowed = kinds.split('|');
      const actual = kindOf((obj as Record<string, unknown>)[key]);
      if (!allowed.includes(actual))
        problems.push(
          `${where}.${key}: ${actual} (${JSON.stringify((obj as Record<string, unknown>)[key])}), expected ${kinds}`,
        );
    }
  }
  expect(problems, JSON.stringify(obj)).toEqual([]);
}

/** A box-im success answer: HTTP 200, exactly `code`/`message`/`data`, code 200. */
export function expectOk<T>(r: Reply<T>, what = ''): T {
  expect(r.status, `${what}: HTTP status`).toBe(200);
  expect(r.code, `${what}: code (message: ${r.message})`).toBe(200);
  expect(r.keys, `${what}: envelope keys`).toEqual(['code', 'data', 'message']);
  return r.data;
}

/** A void success: box-im serialises `"data": null`. */
export function expectVoidOk(r: Reply, what = ''): void {
  expectOk(r, what);
  expect(r.raw, `${what}: data must be serialised as null`).toMatch(/"data"\s*:\s*null/);
}

/** A business error as box-im's clients see it: HTTP 200, envelope, code, non-empty message. */
export function expectFail(r: Reply, code = 500, what = ''): void {
  expect({ what, status: r.status, code: r.code }).toEqual({ what, status: 200, code });
  expect(r.keys, `${what}: envelope keys`).toEqual(['code', 'data', 'message']);
  expect(typeof r.message).toBe('string');
  expect(r.message.length, `${what}: message`).toBeGreaterThan(0);
}

export const CHINESE = /[\u4e00-\u9fff]/;

// Field specs of the VOs, restricted to what the clients read (frontend §4–§5).
export const USER_VO = {
  id: 'number',
  userName: 'string',
  nickName: 'string',
  sex: 'number',
  signature: 'string|null',
  headImage: 'string|null',
  headImageThumb: 'string|null',
};
export const FRIEND_VO = {
  id: 'number',
  nickName: 'string',
  headImage: 'string|null',
  isDnd: 'boolean|null',
  deleted: 'boolean',
};
export const GROUP_VO = {
  id: 'number',
  name: 'string',
  ownerId: 'number',
  headImage: 'string|null',
  headImageThumb: 'string|null',
  notice: 'string|null',
  remarkNickName: 'string|null',
  showNickName: 'string',
  showGroupName: 'string',
  remarkGroupName: 'string|null',
  quit: 'boolean',
  isBanned: 'boolean',
  reason: 'string|null',
  isDnd: 'boolean|null',
};
export const MEMBER_VO = {
  userId: 'number',
  showNickName: 'string',
  remarkNickName: 'string|null',
  headImage: 'string|null',
  quit: 'boolean',
  online: 'boolean',
};
export const PRIVATE_MSG = {
  id: 'number',
  sendId: 'number',
  recvId: 'number',
  content: 'string',
  type: 'number',
  status: 'number',
  sendTime: 'number',
};
export const GROUP_MSG = {
  id: 'number',
  groupId: 'number',
  sendId: 'number',
  sendNickName: 'string',
  content: 'string',
  type: 'number',
  status: 'number',
  sendTime: 'number',
  receipt: 'boolean',
  receiptOk: 'boolean',
  readedCount: 'number',
  atUserIds: 'array|null|absent',
};

/** An epoch-ms number close to now (not seconds, not an ISO string). */
export function expectEpochMs(v: unknown, what = 'sendTime'): void {
  expect(typeof v, what).toBe('number');
  expect(
    Math.abs((v as number) - Date.now()),
    `${what} = ${String(v)} should be epoch ms near now`,
  ).toBeLessThan(10 * 60_000);
}

/** The web client's own idea of the chat peer of a private frame (Home.vue handlePrivateMessage). */
export function peerOf(msg: { sendId: number; recvId: number }, me: number): number {
  return msg.sendId === me ? msg.recvId : msg.sendId;
}

export const data = <T = any>(f: Frame) => f.data as T;
export const isCmdType = (cmd: number, type: number) => (f: Frame) =>
  f.cmd === cmd && (f.data as { type?: number } | null)?.type === type;

/** Frames a socket received so far of cmd/type, after a short wait (to assert absence). */
export function quietFor(ws: TestSocket, cmd: number, type: number, ms = 300) {
  return ws.settle(isCmdType(cmd, type), ms);
}

export const MT = {
  TEXT: 0,
  IMAGE: 1,
  FILE: 2,
  AUDIO: 3,
  RECALL: 10,
  READED: 11,
  RECEIPT: 12,
  TIP_TEXT: 21,
  ACT_RT_VOICE: 40,
  ACT_RT_VIDEO: 41,
  FRIEND_NEW: 80,
  FRIEND_DEL: 81,
  FRIEND_DND: 82,
  GROUP_NEW: 90,
  GROUP_DEL: 91,
  GROUP_DND: 92,
  RTC_CALL_VOICE: 100,
  RTC_CALL_VIDEO: 101,
  RTC_ACCEPT: 102,
  RTC_REJECT: 103,
  RTC_CANCEL: 104,
  RTC_FAILED: 105,
  RTC_HANDUP: 106,
  RTC_CANDIDATE: 107,
};
export const CMD = { LOGIN: 0, HEARTBEAT: 1, FORCE_LOGOUT: 2, PRIVATE: 3, GROUP: 4, SYSTEM: 5 };

/** Is the endpoint answered by a route (not the "no such endpoint" error)? */
export async function routeExists(t: TestServer, method: string, path: string): Promise<boolean> {
  const r = await rawRequest(t, method, path, { 'accept-language': 'en' });
  return !/接口不存在|no such (endpoint|route)|not found/i.test(r.message ?? '');
}

/** Open `/im`, send a login frame, and report what came back and how the socket closed. */
export async function wsLoginOutcome(
  t: TestServer,
  accessToken: string,
  devId: number | string = 1,
  waitMs = 3000,
) {
  const WebSocket = (await import('ws')).default;
  const ws = new WebSocket(`${t.url.replace(/^http/, 'ws')}/im`);
  await new Promise((r) => ws.once('open', r));
  const cmds: number[] = [];
  ws.on('message', (m: Buffer) => cmds.push((JSON.parse(m.toString()) as { cmd: number }).cmd));
  const closed = new Promise<number | null>((r) => {
    ws.once('close', (code: number) => r(code));
    setTimeout(() => r(null), waitMs);
  });
  ws.send(JSON.stringify({ cmd: 0, data: { accessToken, devId } }));
  const code = await closed;
  if (code === null) ws.terminate();
  return { cmds, closeCode: code };
}
