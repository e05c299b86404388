/**
 * How the persisted scenario's load process sends `POST /api/message/private/send`.
 *
 * `http` (default): `node:http` over a keep-alive Agent, one pre-built header object per
 * sender (the bodies have one length per sender: contents are fixed width), bodies built before
 * the clock starts, the response body checked by its first bytes instead of parsed. Per send
 * that leaves the ClientRequest/IncomingMessage pair and one Buffer: the load process's
 * own GC pauses stay short, so the open loop's tail measures the server rather than the client.
 *
 * `fetch`: the global fetch (undici with WHATWG streams and Headers per request), what the bench
 * used before; kept for A/Bs of the sender itself (`persisted-ab.ts --sender-a=fetch`).
 */
import { Agent, request } from 'node:http';

export type SenderKind = 'http' | 'fetch';

export interface Pair {
  token: string;
  recvId: number;
}

export interface Sender {
  /** Body of a send of `content` from pair `pair` (build these before timing starts). */
  body(pair: number, content: string): Buffer;
  /** Sends a body built by `body`; resolves true when the server answered code 200. */
  send(pair: number, body: Buffer): Promise<boolean>;
  close(): void;
}

const PATH = '/api/message/private/send';
const OK = Buffer.from('{"code":200');

export function createSender(kind: SenderKind, base: string, pairs: Pair[]): Sender {
  const body = (pair: number, content: string) =>
    Buffer.from(`{"tmpId":"${content}","recvId":${pairs[pair]!.recvId},"content":"${content}","type":0}`);
  return kind === 'fetch' ? fetchSender(base, pairs, body) : httpSender(base, pairs, body);
}

function httpSender(base: string, pairs: Pair[], body: Sender['body']): Sender {
  const url = new URL(base);
  // Enough sockets for a server stall at 1,000 msg/s; requests beyond wait in the agent, and
  // their latency still runs from their scheduled time.
  const agent = new Agent({ keepAlive: true, maxSockets: 512, maxFreeSockets: 512, scheduling: 'fifo' });
  // Node copies options.headers per request anyway; one object per (pair, body length) saves the rest.
  const headers = new Map<string, Record<string, string>>();
  const headersOf = (pair: number, length: number) => {
    const key = `${pair}:${length}`;
    let h = headers.get(key);
    if (!h) {
      h = {
        accessToken: pairs[pair]!.token,
        'content-type': 'application/json',
        'content-length': String(length),
      };
      headers.set(key, h);
    }
    return h;
  };
  const send = (pair: number, payload: Buffer) =>
    new Promise<boolean>((done) => {
      const req = request(
        {
          agent,
          host: url.hostname,
          port: url.port,
          method: 'POST',
          path: PATH,
          headers: headersOf(pair, payload.length),
        },
        (res) => {
          let ok: boolean | undefined;
          res.on('data', (chunk: Buffer) => {
            ok ??= chunk.length >= OK.length && chunk.subarray(0, OK.length).equals(OK);
          });
          res.on('end', () => done(res.statusCode === 200 && ok === true));
          res.on('error', () => done(false));
        },
      );
      req.on('error', () => done(false));
      req.end(payload);
    });
  return { body, send, close: () => agent.destroy() };
}

function fetchSender(base: string, pairs: Pair[], body: Sender['body']): Sender {
  const send = async (pair: number, payload: Buffer) => {
    try {
      const res = await fetch(`${base}${PATH}`, {
        method: 'POST',
        headers: { accessToken: pairs[pair]!.token, 'content-type': 'application/json' },
        body: payload,
      });
      const json = (await res.json()) as { code: number };
      return json.code === 200;
    } catch {
      return false;
    }
  };
  return { body, send, close: () => undefined };
}
