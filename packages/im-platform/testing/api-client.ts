import type { Result } from '@box-im/im-common';

export type ApiResult<T = any> = Result<T> & { status: number; headers: Headers };

/** How requests reach the server: the global `fetch` (a real port) or an `inject()` adapter. */
export type Fetch = (url: string, init: RequestInit) => Promise<Response>;

/**
 * A typed client of the platform API (`{code, message, data}` plus status and headers), as
 * a logged-in user or anonymous.
 */
export class ApiClient {
  constructor(
    readonly baseUrl: string,
    public accessToken?: string,
    private readonly lang = 'zh-CN',
    private readonly fetchImpl: Fetch = fetch,
  ) {}

  /** The same server as another user (or anonymous). */
  as(accessToken?: string, lang = this.lang): ApiClient {
    return new ApiClient(this.baseUrl, accessToken, lang, this.fetchImpl);
  }

  async request<T = any>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiResult<T>> {
    const init: RequestInit = {
      method,
      headers: {
        'accept-language': this.lang,
        // Our clients name their UI language; without it the server answers in Chinese.
        'x-im-language': this.lang.toLowerCase().startsWith('en') ? 'en' : 'zh',
        ...(this.accessToken ? { accessToken: this.accessToken } : {}),
        ...(body !== undefined && !(body instanceof FormData) ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
    };
    if (body !== undefined)
      init.body = body instanceof FormData ? body : typeof body === 'string' ? body : JSON.stringify(body);
    const res = await this.fetchImpl(`${this.baseUrl}/api${path}`, init);
    const json = (await res.json()) as Result<T>;
    return { ...json, status: res.status, headers: res.headers };
  }
  get<T = any>(path: string) {
    return this.request<T>('GET', path);
  }
  post<T = any>(path: string, body?: unknown) {
    return this.request<T>('POST', path, body);
  }
  put<T = any>(path: string, body?: unknown) {
    return this.request<T>('PUT', path, body);
  }
  delete<T = any>(path: string, body?: unknown) {
    return this.request<T>('DELETE', path, body);
  }
}
