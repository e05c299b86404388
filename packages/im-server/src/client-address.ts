import type { IncomingMessage } from 'node:http';
import proxyAddr from '@fastify/proxy-addr';
import type { TrustProxy } from '@box-im/im-process';

/**
 * The client address of an upgrade request as TRUST_PROXY says (the same rule fastify
 * applies on the platform): the socket's peer unless a trusted proxy forwarded it.
 */
export function clientAddressOf(trust: TrustProxy): (req: IncomingMessage) => string {
  const peer = (req: IncomingMessage) => req.socket.remoteAddress ?? 'unknown';
  if (trust === false) return peer;
  const isTrusted =
    trust === true
      ? () => true
      : typeof trust === 'number'
        ? (_address: string, hop: number) => hop < trust
        : proxyAddr.compile(trust);
  return (req) => (req.socket.remoteAddress ? proxyAddr(req, isTrusted) : 'unknown');
}
