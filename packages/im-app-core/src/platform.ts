/**
 * What a host (browser, uni-app) gives the core. The core never touches `WebSocket`, `fetch`,
 * `setTimeout`, `localStorage`, `uni.*` or `Math.random` itself: everything that varies by
 * platform, or that a test wants to control, comes in through these interfaces.
 */

/** Opaque handle of a scheduled callback (`null` is never one). */
export type TimerHandle = unknown;

/** Wall clock and one-shot timers. Tests pass a fake that advances by hand. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** A number in [0, 1): jitter, device ids, temporary message ids. */
export type Random = () => number;

/** What the core listens to on a socket; the factory wires the platform's events to these. */
export interface SocketHandlers {
  onOpen(): void;
  /** A text frame. */
  onMessage(data: string): void;
  /** The socket closed (by either side, or failed to connect). */
  onClose(code: number): void;
  /** An error; a close normally follows, the core does not rely on it. */
  onError(): void;
}

/** An open (or opening) platform socket. */
export interface PlatformSocket {
  send(data: string): void;
  close(code?: number): void;
}

/**
 * Opens a socket and reports its events to `handlers`.
 * Browser: `new WebSocket(url)` with `onopen`…; uni-app: `uni.connectSocket({ url })` with `onOpen`….
 */
export type SocketFactory = (url: string, handlers: SocketHandlers) => PlatformSocket;

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** One file of a multipart upload. `data` is whatever the host's transport can send. */
export interface UploadPart {
  /** Form field name (`file`, `cover`). */
  field: string;
  /** File name sent with the part. */
  fileName: string;
  /** Browser: a Blob; uni-app: a temp file path. */
  data: unknown;
}

export interface HttpRequest {
  method: HttpMethod;
  /** Absolute or host-relative URL, query string included. */
  url: string;
  headers: Record<string, string>;
  /** JSON text (Content-Type is set in `headers`). */
  body?: string;
  /** Multipart upload instead of a JSON body. */
  files?: UploadPart[];
  /** Give up after this long (the transport rejects). No limit when absent. */
  timeoutMs?: number;
}

export interface HttpResponse {
  status: number;
  /** Parsed JSON body; anything that is not JSON is passed as received (or undefined). */
  body: unknown;
}

/** Sends one request. Rejects only when no response arrived (network down, timeout). */
export type HttpTransport = (request: HttpRequest) => Promise<HttpResponse>;

/** Small synchronous string storage (browser `localStorage` / `sessionStorage` fit as they are). */
export interface SyncStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** Asynchronous structured storage for the chat cache (IndexedDB, uni storage, memory). */
export interface KvStore {
  get<T>(key: string): Promise<T | undefined>;
  /** `value` is plain JSON-safe data; the store may keep it by reference or copy it. */
  set(key: string, value: unknown): Promise<void>;
  del(key: string): Promise<void>;
}

/** A KvStore in memory (tests, and hosts without persistent storage). Values are copied. */
export function memoryStore(): KvStore {
  const map = new Map<string, string>();
  return {
    get: <T>(key: string) => {
      const raw = map.get(key);
      return Promise.resolve(raw === undefined ? undefined : (JSON.parse(raw) as T));
    },
    set: (key, value) => {
      map.set(key, JSON.stringify(value));
      return Promise.resolve();
    },
    del: (key) => {
      map.delete(key);
      return Promise.resolve();
    },
  };
}

/** A SyncStorage in memory. */
export function memoryStorage(): SyncStorage {
  const map = new Map<string, string>();
  return {
    getItem: (key) => map.get(key) ?? null,
    setItem: (key, value) => void map.set(key, value),
    removeItem: (key) => void map.delete(key),
  };
}
