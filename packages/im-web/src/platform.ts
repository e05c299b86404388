/**
 * The browser as the client core's platform: timers, WebSocket, fetch, and where the socket
 * lives. Everything the core needs from a host that is not a store or a screen.
 */
import type { Clock, HttpRequest, HttpResponse, SocketFactory } from '@box-im/im-app-core';

export const browserClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export const browserSocket: SocketFactory = (url, h) => {
  const ws = new WebSocket(url);
  ws.onopen = () => h.onOpen();
  ws.onmessage = (ev: MessageEvent) => h.onMessage(String(ev.data));
  ws.onerror = () => h.onError();
  ws.onclose = (ev: CloseEvent) => h.onClose(ev.code);
  return {
    send: (data) => ws.send(data),
    close: (code) => ws.close(code),
  };
};

/** fetch as the core's HTTP transport: JSON bodies or multipart uploads of Blobs. */
export async function fetchTransport(req: HttpRequest): Promise<HttpResponse> {
  let body: BodyInit | undefined = req.body;
  if (req.files) {
    const form = new FormData();
    for (const part of req.files) form.append(part.field, part.data as Blob, part.fileName);
    body = form;
  }
  const res = await fetch(req.url, {
    method: req.method,
    headers: req.headers,
    body,
    signal: req.timeoutMs ? AbortSignal.timeout(req.timeoutMs) : undefined,
  });
  let parsed: unknown;
  try {
    parsed = await res.json();
  } catch {
    parsed = undefined;
  }
  return { status: res.status, body: parsed };
}

/** The push endpoint next to the page (`/im` on the same host, wss under https). */
export function wsUrl(loc: Location = location): string {
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}/im`;
}
