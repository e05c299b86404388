import type { FastifyInstance } from 'fastify';
import type { Fetch } from './api-client';

/** A `fetch` answered by `app.inject()`: the whole HTTP stack without a port or a socket. */
export function injectFetch(app: FastifyInstance): Fetch {
  return async (url, init) => {
    // A Request encodes the body (JSON text, FormData → multipart) exactly as fetch would send it.
    const request = new Request(url, init);
    const { pathname, search } = new URL(request.url);
    const body = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
    const res = await app.inject({
      method: request.method as 'GET',
      url: pathname + search,
      headers: Object.fromEntries(request.headers),
      ...(body ? { payload: body } : {}),
    });
    const headers = new Headers();
    for (const [name, value] of Object.entries(res.headers)) {
      for (const one of [value ?? []].flat()) headers.append(name, String(one));
    }
    const empty = res.statusCode === 204 || res.statusCode === 304 || res.rawPayload.length === 0;
    return new Response(empty ? null : new Uint8Array(res.rawPayload), { status: res.statusCode, headers });
  };
}
