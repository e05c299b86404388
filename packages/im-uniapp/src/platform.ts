/**
 * uni-app as the client core's platform: timers, `uni.connectSocket`, `uni.request` /
 * `uni.uploadFile`, and uni storage for tokens and the chat cache. Storage keys are prefixed
 * `im-app:` so the H5 build and the web client can share an origin.
 */
import type {
  Clock,
  HttpRequest,
  HttpResponse,
  KvStore,
  SocketFactory,
  SyncStorage,
} from '@box-im/im-app-core';

export const uniClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

const PREFIX = 'im-app:';

/** Small synchronous storage (tokens, profile, preferences). */
export const uniStorage: SyncStorage = {
  getItem(key) {
    const v: unknown = uni.getStorageSync(PREFIX + key);
    return typeof v === 'string' && v !== '' ? v : null;
  },
  setItem: (key, value) => uni.setStorageSync(PREFIX + key, value),
  removeItem: (key) => uni.removeStorageSync(PREFIX + key),
};

/** The chat cache on uni storage (async calls, values stored as JSON-safe data). */
export const uniKv: KvStore = {
  get: <T>(key: string) =>
    new Promise<T | undefined>((resolve) => {
      uni.getStorage({
        key: PREFIX + key,
        success: (res) => resolve((res.data as T | '') === '' ? undefined : (res.data as T)),
        fail: () => resolve(undefined),
      });
    }),
  set: (key, value) =>
    new Promise<void>((resolve, reject) => {
      uni.setStorage({ key: PREFIX + key, data: value, success: () => resolve(), fail: reject });
    }),
  del: (key) =>
    new Promise<void>((resolve) => {
      uni.removeStorage({ key: PREFIX + key, complete: () => resolve() });
    }),
};

export const uniSocket: SocketFactory = (url, h) => {
  let closed = false;
  const task = uni.connectSocket({ url, complete: () => undefined });
  task.onOpen(() => h.onOpen());
  task.onMessage((ev) => h.onMessage(String(ev.data)));
  task.onError(() => h.onError());
  task.onClose((ev: { code?: number }) => {
    if (closed) return;
    closed = true;
    h.onClose(ev?.code ?? 1006);
  });
  return {
    send: (data) => task.send({ data }),
    close: (code) => task.close({ code: code ?? 1000 }),
  };
};

function parse(data: unknown): unknown {
  if (typeof data !== 'string') return data;
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return data;
  }
}

/** `uni.request` for JSON calls, `uni.uploadFile` for multipart uploads (files are temp paths). */
export function uniTransport(req: HttpRequest): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    if (req.files && req.files.length) {
      const [first, ...rest] = req.files;
      const options: UniApp.UploadFileOption = {
        url: req.url,
        header: req.headers,
        timeout: req.timeoutMs,
        success: (res) => resolve({ status: res.statusCode, body: parse(res.data) }),
        fail: (e) => reject(new Error(e.errMsg)),
      };
      // #ifdef MP-WEIXIN
      options.filePath = first!.data as string;
      options.name = first!.field;
      // #endif
      // #ifndef MP-WEIXIN
      if (rest.length) options.files = req.files.map((f) => ({ name: f.field, uri: f.data as string }));
      else {
        options.filePath = first!.data as string;
        options.name = first!.field;
      }
      // #endif
      uni.uploadFile(options);
      return;
    }
    uni.request({
      url: req.url,
      method: req.method,
      header: req.headers,
      data: req.body,
      timeout: req.timeoutMs,
      dataType: 'json',
      success: (res) => resolve({ status: res.statusCode, body: parse(res.data) }),
      fail: (e) => reject(new Error(e.errMsg)),
    });
  });
}

/**
 * The server: `VITE_IM_SERVER` (e.g. `https://im.example.com`) when set at build time,
 * else the page's own origin (H5 served by `npm start` at `/h5/`). The mini-program and the
 * app have no origin: they must be built with `VITE_IM_SERVER`.
 */
export function serverOrigin(): string {
  const configured = (import.meta.env.VITE_IM_SERVER as string | undefined) ?? '';
  if (configured) return configured.replace(/\/+$/, '');
  // #ifdef H5
  return location.origin;
  // #endif
  // #ifndef H5
  return 'http://127.0.0.1:8080';
  // #endif
}

export const apiBase = () => `${serverOrigin()}/api`;
export const wsUrl = () => `${serverOrigin().replace(/^http/, 'ws')}/im`;
