/**
 * HTTP client for the box-im envelope `{code, message, data}`:
 * 200 → data; 401 → one shared `PUT /refreshToken` then replay; 400 (or a failed refresh)
 * → `onAuthLost`; anything else → ApiError (toasted unless `silent`).
 */
import { ResultCode, type Result, type LoginVO } from '@box-im/im-common';
import { clearTokens, getAccessToken, getRefreshToken, saveTokens } from './token';

export const API_BASE = '/api';

export class ApiError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** Multipart upload instead of JSON. */
  form?: FormData;
  headers?: Record<string, string>;
  /** Do not toast errors. */
  silent?: boolean;
  /** Internal: this call is a replay after refresh. */
  replay?: boolean;
}

export const hooks = {
  onAuthLost: (): void => undefined,
  onError: (_message: string): void => undefined,
};

let refreshing: Promise<boolean> | null = null;

export function buildUrl(path: string, query?: RequestOptions['query']): string {
  let url = API_BASE + path;
  if (query) {
    const qs = Object.entries(query)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
      .join('&');
    if (qs) url += (url.includes('?') ? '&' : '?') + qs;
  }
  return url;
}

/** Refresh the tokens once, however many requests hit 401 at the same time. */
export function refreshTokens(): Promise<boolean> {
  refreshing ??= (async () => {
    const refreshToken = getRefreshToken();
    if (!refreshToken) return false;
    try {
      const res = await fetch(buildUrl('/refreshToken'), { method: 'PUT', headers: { refreshToken } });
      const body = (await res.json()) as Result<LoginVO>;
      if (body.code !== ResultCode.SUCCESS || !body.data) return false;
      saveTokens(body.data);
      return true;
    } catch {
      return false;
    }
  })().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { ...opts.headers };
  const token = getAccessToken();
  if (token) headers.accessToken = encodeURIComponent(token);
  let body: BodyInit | undefined;
  if (opts.form) body = opts.form;
  else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
  }
  let res: Response;
  try {
    res = await fetch(buildUrl(path, opts.query), { method, headers, body });
  } catch (e) {
    if (!opts.silent) hooks.onError('network');
    throw e instanceof Error ? e : new Error(String(e));
  }
  let envelope: Result<T>;
  try {
    envelope = (await res.json()) as Result<T>;
  } catch {
    const err = new ApiError(res.status, `HTTP ${res.status}`);
    if (!opts.silent) hooks.onError(err.message);
    throw err;
  }
  if (envelope.code === ResultCode.SUCCESS) return envelope.data as T;
  if (envelope.code === ResultCode.INVALID_TOKEN && !opts.replay) {
    if (await refreshTokens()) return request<T>(method, path, { ...opts, replay: true });
    clearTokens();
    hooks.onAuthLost();
    throw new ApiError(envelope.code, envelope.message);
  }
  if (envelope.code === ResultCode.NO_LOGIN || envelope.code === ResultCode.INVALID_TOKEN) {
    clearTokens();
    hooks.onAuthLost();
    throw new ApiError(envelope.code, envelope.message);
  }
  if (!opts.silent) hooks.onError(envelope.message);
  throw new ApiError(envelope.code, envelope.message);
}

export const http = {
  get: <T>(path: string, opts?: RequestOptions) => request<T>('GET', path, opts),
  post: <T>(path: string, opts?: RequestOptions) => request<T>('POST', path, opts),
  put: <T>(path: string, opts?: RequestOptions) => request<T>('PUT', path, opts),
  del: <T>(path: string, opts?: RequestOptions) => request<T>('DELETE', path, opts),
};
