/**
 * HTTP client for the box-im envelope `{code, message, data}`:
 * 200 → `data`; 401 → one shared `PUT /refreshToken` (header `refreshToken`), then the call is
 * replayed once; 400, or a 401 the refresh cannot cure → tokens cleared and `onAuthLost`;
 * any other code → `ApiError(code, message)`; no answer → `NetworkError`.
 * Errors are also reported to `onError` unless the call is `silent`.
 */
import { LANGUAGE_HEADER, ResultCode, type LoginVO, type Result } from '@box-im/im-common';
import type { HttpMethod, HttpResponse, HttpTransport, UploadPart } from '../platform';
import { ApiError, NetworkError } from './errors';
import type { TokenStore } from './tokens';

export type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions {
  /** Query parameters; `undefined` and `null` ones are left out. */
  query?: Record<string, QueryValue>;
  /** JSON body (a string is sent as it is, e.g. an SDP already in JSON). */
  body?: unknown;
  /** Multipart upload instead of a JSON body. */
  files?: UploadPart[];
  headers?: Record<string, string>;
  /** Do not report errors to `onError` (the caller handles them). */
  silent?: boolean;
  /** Overrides the client's default timeout. */
  timeoutMs?: number;
}

export interface HttpClientOptions {
  /** Prefix of every path, e.g. `/api` or `https://im.example.com/api`. */
  baseUrl: string;
  transport: HttpTransport;
  tokens: TokenStore;
  /** Default per-call timeout in ms; none when absent. */
  timeoutMs?: number;
  /**
   * The UI language, sent as `X-IM-Language` on every call so the server's messages match it
   * (without it the server answers in Chinese).
   */
  language?: () => 'zh' | 'en';
}

export interface HttpEvents {
  /** A failed call the user should hear about (not called for `silent` calls or lost sessions). */
  onError?: (error: ApiError | NetworkError) => void;
  /** The session is over (tokens are already cleared): go to the login screen. */
  onAuthLost?: () => void;
}

function isEnvelope(body: unknown): body is Result<unknown> {
  return typeof body === 'object' && body !== null && typeof (body as { code?: unknown }).code === 'number';
}

export class HttpClient {
  /** Set by the host's UI layer. */
  events: HttpEvents = {};
  private refreshing: Promise<boolean> | null = null;

  constructor(private readonly opts: HttpClientOptions) {}

  get tokens(): TokenStore {
    return this.opts.tokens;
  }

  url(path: string, query?: Record<string, QueryValue>): string {
    let url = this.opts.baseUrl + path;
    if (query) {
      const qs = Object.keys(query)
        .filter((k) => query[k] !== undefined && query[k] !== null)
        .map((k) => `${encodeURIComponent(k)}=${encodeURIComponent(String(query[k]))}`)
        .join('&');
      if (qs) url += (url.includes('?') ? '&' : '?') + qs;
    }
    return url;
  }

  /** Trade the refresh token for new tokens, once, however many calls ask at the same time. */
  refresh(): Promise<boolean> {
    if (!this.refreshing) {
      this.refreshing = this.doRefresh().then(
        (ok) => {
          this.refreshing = null;
          return ok;
        },
        () => {
          this.refreshing = null;
          return false;
        },
      );
    }
    return this.refreshing;
  }

  private async doRefresh(): Promise<boolean> {
    const refreshToken = this.opts.tokens.refreshToken();
    if (!refreshToken) return false;
    const res = await this.opts.transport({
      method: 'PUT',
      url: this.url('/refreshToken'),
      headers: { ...this.languageHeader(), refreshToken },
      timeoutMs: this.opts.timeoutMs,
    });
    if (!isEnvelope(res.body) || res.body.code !== ResultCode.SUCCESS || !res.body.data) return false;
    this.opts.tokens.save(res.body.data as LoginVO);
    return true;
  }

  request<T>(method: HttpMethod, path: string, opts: RequestOptions = {}): Promise<T> {
    return this.call<T>(method, path, opts, true);
  }

  get<T>(path: string, opts?: RequestOptions): Promise<T> {
    return this.request<T>('GET', path, opts);
  }
  post<T>(path: string, opts?: RequestOptions): Promise<T> {
    return this.request<T>('POST', path, opts);
  }
  put<T>(path: string, opts?: RequestOptions): Promise<T> {
    return this.request<T>('PUT', path, opts);
  }
  del<T>(path: string, opts?: RequestOptions): Promise<T> {
    return this.request<T>('DELETE', path, opts);
  }

  private async call<T>(
    method: HttpMethod,
    path: string,
    opts: RequestOptions,
    mayRefresh: boolean,
  ): Promise<T> {
    const sentWith = this.opts.tokens.accessToken();
    const res = await this.send(method, path, opts, sentWith);
    const body = res.body;
    if (!isEnvelope(body)) throw this.fail(new ApiError(res.status, `HTTP ${res.status}`), opts);
    if (body.code === ResultCode.SUCCESS) return body.data as T;
    if (body.code === ResultCode.INVALID_TOKEN && mayRefresh) {
      // Another call may have refreshed while this one was under way: then just replay.
      const renewed = this.opts.tokens.accessToken() !== sentWith || (await this.refresh());
      if (renewed) return this.call<T>(method, path, opts, false);
    }
    if (body.code === ResultCode.INVALID_TOKEN || body.code === ResultCode.NO_LOGIN) {
      this.lose();
      throw new ApiError(body.code, body.message);
    }
    throw this.fail(new ApiError(body.code, body.message), opts);
  }

  private languageHeader(): Record<string, string> {
    return this.opts.language ? { [LANGUAGE_HEADER]: this.opts.language() } : {};
  }

  private async send(
    method: HttpMethod,
    path: string,
    opts: RequestOptions,
    token: string | null,
  ): Promise<HttpResponse> {
    const headers: Record<string, string> = { ...this.languageHeader(), ...opts.headers };
    if (token) headers.accessToken = token;
    let body: string | undefined;
    if (!opts.files && opts.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    }
    try {
      return await this.opts.transport({
        method,
        url: this.url(path, opts.query),
        headers,
        body,
        files: opts.files,
        timeoutMs: opts.timeoutMs ?? this.opts.timeoutMs,
      });
    } catch (e) {
      throw this.fail(new NetworkError(e), opts);
    }
  }

  private fail<E extends ApiError | NetworkError>(error: E, opts: RequestOptions): E {
    if (!opts.silent) this.events.onError?.(error);
    return error;
  }

  private lose(): void {
    this.opts.tokens.clear();
    this.events.onAuthLost?.();
  }
}
