import { z } from 'zod';
import { rateSpec, type RateSpec, type TrustProxy } from './limits';

/** Variables of a WebSocket push node (the push-node process and the standalone process). */
export const pushNodeConfigShape = {
  /** Seconds without any frame after which a socket is closed. */
  WS_IDLE_TIMEOUT_SECONDS: z.coerce.number().positive().default(60),
  /** Seconds a routing key lives without being refreshed by heartbeats. */
  ONLINE_TTL_SECONDS: z.coerce.number().int().positive().default(600),
  /** Largest inbound WebSocket frame, in bytes. */
  WS_MAX_PAYLOAD_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(64 * 1024),
  /** WebSocket connections accepted per client address (COUNT/WINDOW; RATE_LIMIT=off lifts it). */
  RATE_LIMIT_WS_CONNECT_IP: rateSpec.prefault('300/1m'),
  /**
   * Bytes of unsent frames a socket may hold (a client that does not read); beyond it the
   * socket is closed with 1013 and the client reconnects and resyncs.
   */
  WS_SEND_BUFFER_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(4 * 1024 * 1024),
  /** Seconds a push node's liveness key lives; renewed every third of it. */
  NODE_ALIVE_TTL_SECONDS: z.coerce.number().int().min(3).default(15),
};

/** What a push node's options take from the configuration. */
export interface PushNodeSettings {
  jwtSecret: string;
  idleTimeoutMs: number;
  onlineTtlSeconds: number;
  maxPayloadBytes: number;
  /** Connections per client address, or null when RATE_LIMIT=off. */
  connectLimit: RateSpec | null;
  /** Which proxies' `X-Forwarded-For` names the client (TRUST_PROXY). */
  trustProxy: TrustProxy;
  sendBufferBytes: number;
  aliveTtlSeconds: number;
}

/** The push node's settings from a parsed configuration (one mapping for every process that runs a node). */
export function pushNodeSettings(config: {
  JWT_ACCESS_SECRET: string;
  WS_IDLE_TIMEOUT_SECONDS: number;
  ONLINE_TTL_SECONDS: number;
  WS_MAX_PAYLOAD_BYTES: number;
  RATE_LIMIT: boolean;
  RATE_LIMIT_WS_CONNECT_IP: RateSpec;
  TRUST_PROXY: TrustProxy;
  WS_SEND_BUFFER_BYTES: number;
  NODE_ALIVE_TTL_SECONDS: number;
}): PushNodeSettings {
  return {
    jwtSecret: config.JWT_ACCESS_SECRET,
    idleTimeoutMs: config.WS_IDLE_TIMEOUT_SECONDS * 1000,
    onlineTtlSeconds: config.ONLINE_TTL_SECONDS,
    maxPayloadBytes: config.WS_MAX_PAYLOAD_BYTES,
    connectLimit: config.RATE_LIMIT ? config.RATE_LIMIT_WS_CONNECT_IP : null,
    trustProxy: config.TRUST_PROXY,
    sendBufferBytes: config.WS_SEND_BUFFER_BYTES,
    aliveTtlSeconds: config.NODE_ALIVE_TTL_SECONDS,
  };
}
