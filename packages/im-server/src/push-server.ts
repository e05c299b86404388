import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { countInWindow, type Bus, type Consumer } from '@box-im/im-bus';
import { aliveValue, Cmd, CloseCode, PushNodeCapability, RedisKey } from '@box-im/im-common';
import { checkHealth, type HealthReport, type RateSpec, type TrustProxy } from '@box-im/im-process';
import { startDelivery } from './delivery';
import { clientAddressOf } from './client-address';
import { parseInboundFrame } from './frames';
import { parseLoginRequest, TokenVerifier } from './login';
import { PushMetrics } from './metrics';
import { IdleSweep } from './idle-sweep';
import { Presence } from './presence';
import { Session, type SessionHost } from './session';
import { checkWsInternals } from './ws-internals';

export interface PushServerOptions {
  /** Shared with im-client: routing keys and queues live there. */
  bus: Bus;
  logger: Logger;
  /** HS256 secret of access tokens (the platform's `JWT_ACCESS_SECRET`). */
  jwtSecret: string;
  /** Milliseconds without an inbound frame before a socket is closed (box-im: 60 000). */
  idleTimeoutMs: number;
  /** Seconds a routing key lives without refresh (box-im: 600). */
  onlineTtlSeconds: number;
  /** Largest inbound frame in bytes; larger frames close the socket with 1009 (box-im: 65 536). */
  maxPayloadBytes: number;
  /** URL path of the WebSocket endpoint. @default '/im' */
  path?: string;
  /** Connections accepted per client address (counted on the bus); null = unlimited. @default null */
  connectLimit?: RateSpec | null;
  /** Whose `X-Forwarded-For` names the client (TRUST_PROXY). @default false */
  trustProxy?: TrustProxy;
  /** Bytes of unsent frames a socket may hold before it is cut with 1013. @default 4 MiB */
  sendBufferBytes?: number;
  /** Seconds the node's liveness key lives (renewed every third of it). @default 15 */
  aliveTtlSeconds?: number;
  /** Registry to put this node's series in (the process's). @default a registry of its own */
  metrics?: Registry;
}

/** Milliseconds `close()` waits for clients to finish the closing handshake before cutting them. */
const CLOSE_HANDSHAKE_TIMEOUT_MS = 2000;
/** Milliseconds a slow reader's socket gets for the 1013 close before it is destroyed. */
const SLOW_CONSUMER_GRACE_MS = 1000;

const DEFAULT_ALIVE_TTL_SECONDS = 15;
const DEFAULT_SEND_BUFFER_BYTES = 4 * 1024 * 1024;

/**
 * A push node: holds WebSocket connections, authenticates them with the first frame,
 * records in the bus which node holds each (user, terminal) (`Presence`), and writes the
 * frames that im-client queues for it. It knows nothing of business data.
 *
 * Route refresh policy: a heartbeat of a logged-in socket renews its route once a minute
 * has passed since the route was last written (a quarter of `onlineTtlSeconds` when that is
 * shorter), and writes it again if it vanished (Redis restarted). box-im renewed every 10th
 * heartbeat; a time rule does not depend on the client's heartbeat interval.
 */
export class PushServer {
  private readonly wss: WebSocketServer;
  private readonly presence: Presence;
  private readonly sessions = new Set<Session>();
  /** Shared by every session: its send bound and what cuts a slow reader. */
  private readonly sessionHost: SessionHost;
  private readonly idleSweep: IdleSweep;
  private readonly verifier: TokenVerifier;
  private readonly path: string;
  private readonly log: Logger;
  private readonly clientAddress: (req: IncomingMessage) => string;
  private readonly attached = new Map<
    HttpServer,
    (req: IncomingMessage, socket: Duplex, head: Buffer) => void
  >();
  private consumer: Consumer | undefined;
  private aliveTimer: NodeJS.Timeout | undefined;
  private nextSessionId = 1;
  private wsInternalsChecked = false;
  /** Where this node's series are (`GET /metrics` of its HTTP server). */
  readonly registry: Registry;
  readonly metrics: PushMetrics;
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly options: PushServerOptions,
    /** Id of this node, allocated with `INCR im:max_server_id`; names its queues. */
    readonly serverId: number,
  ) {
    this.verifier = new TokenVerifier(options.jwtSecret);
    this.path = options.path ?? '/im';
    this.clientAddress = clientAddressOf(options.trustProxy ?? false);
    this.log = options.logger.child({ mod: 'push-server', serverId });
    this.presence = new Presence({
      bus: options.bus,
      serverId,
      onlineTtlSeconds: options.onlineTtlSeconds,
      logger: this.log,
    });
    this.registry = options.metrics ?? new Registry();
    this.metrics = new PushMetrics(this.registry, {
      serverId,
      bus: options.bus,
      connections: () => this.sessions.size,
    });
    this.wss = new WebSocketServer({
      noServer: true,
      perMessageDeflate: false,
      maxPayload: options.maxPayloadBytes,
      // `sessions` holds the sockets: no second set (and close listener) per socket in ws.
      clientTracking: false,
    });
    this.sessionHost = {
      sendBufferBytes: options.sendBufferBytes ?? DEFAULT_SEND_BUFFER_BYTES,
      onOverflow: (slow) => this.cutSlowReader(slow),
    };
    this.idleSweep = new IdleSweep(this.sessions, options.idleTimeoutMs, (idle) =>
      idle.close(CloseCode.IDLE_TIMEOUT, 'idle timeout'),
    );
  }

  /** Allocate a server id, start consuming this node's queues and return the node. */
  static async start(options: PushServerOptions): Promise<PushServer> {
    const serverId = await options.bus.incr(RedisKey.MAX_SERVER_ID);
    const server = new PushServer(options, serverId);
    await server.writeAlive();
    const aliveTtlMs = (options.aliveTtlSeconds ?? DEFAULT_ALIVE_TTL_SECONDS) * 1000;
    server.aliveTimer = setInterval(() => {
      server.writeAlive().catch((error: unknown) => {
        server.metrics.errors.inc({ source: 'liveness' });
        server.log.error({ err: error }, 'liveness key renewal failed');
      });
    }, aliveTtlMs / 3);
    server.aliveTimer.unref();
    server.consumer = startDelivery({
      bus: options.bus,
      serverId,
      logger: server.log,
      metrics: server.metrics,
      findSession: (userId, terminal) => server.presence.registry.get(userId, terminal),
      onForceLogout: (info) => server.presence.applyForceLogout(info),
      onBanNotice: (session) => server.presence.onBanNotice(session),
    });
    server.log.info({ path: server.path }, 'push node started');
    return server;
  }

  /**
   * Write (or renew) this node's liveness key: senders queue for this node only while it is
   * there. Its value advertises what the node accepts beyond box-im (compact push jobs).
   */
  private async writeAlive(): Promise<void> {
    const ttlMs = (this.options.aliveTtlSeconds ?? DEFAULT_ALIVE_TTL_SECONDS) * 1000;
    const value = aliveValue(Date.now(), [PushNodeCapability.COMPACT_JOBS]);
    await this.options.bus.set(RedisKey.serverAlive(this.serverId), value, { ttlMs });
  }

  /** Readiness: the bus answers (`/health/ready`); 503 once the node is closing. */
  async ready(): Promise<HealthReport> {
    if (this.closing) return { status: 'unavailable', checks: { node: 'closing' } };
    return checkHealth({ bus: () => this.options.bus.get(RedisKey.MAX_SERVER_ID) });
  }

  /** Open sockets, logged in or not. */
  get connectionCount(): number {
    return this.sessions.size;
  }

  /**
   * Take over an HTTP upgrade request (to embed the node in another HTTP server).
   * Requests for other paths get 404, and 503 once the node is closing.
   */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (!this.matchesPath(req)) return reject(socket, 404, 'Not Found');
    if (this.closing) return reject(socket, 503, 'Service Unavailable');
    const limit = this.options.connectLimit;
    if (!limit) return this.upgrade(req, socket, head);
    const address = this.clientAddress(req);
    countInWindow(this.options.bus, `im:ratelimit:ws-connect:${address}`, limit.windowMs, Date.now()).then(
      ({ count, resetMs }) => {
        if (count <= limit.max) return this.upgrade(req, socket, head);
        this.log.info({ remote: address, count }, 'connection refused: too many from this address');
        reject(socket, 429, 'Too Many Requests', { 'Retry-After': String(Math.ceil(resetMs / 1000)) });
      },
      (error: unknown) => {
        // The bus is down: let the client in rather than lock everybody out.
        this.log.warn({ err: error }, 'connect limit unavailable');
        this.upgrade(req, socket, head);
      },
    );
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (this.closing || socket.destroyed) return void socket.destroy();
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws, req));
  }

  /**
   * Listen for upgrades on `httpServer`. Requests for other paths are left to the server's
   * other 'upgrade' listeners, or refused with 404 when there is none.
   */
  attach(httpServer: HttpServer): void {
    const listener = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
      if (this.matchesPath(req) || httpServer.listenerCount('upgrade') === 1)
        this.handleUpgrade(req, socket, head);
    };
    this.attached.set(httpServer, listener);
    httpServer.on('upgrade', listener);
  }

  /**
   * Shut down gracefully: refuse new sockets, close every socket with 1012 (clients
   * reconnect, the load balancer picks another node), remove their routes, stop consuming.
   */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    clearInterval(this.aliveTimer);
    this.idleSweep.stop();
    for (const [httpServer, listener] of this.attached) httpServer.off('upgrade', listener);
    this.attached.clear();
    const sessions = [...this.sessions];
    await Promise.all(
      sessions.map((session) => {
        session.close(CloseCode.SERVER_RESTART, 'server restart');
        // With the bus down the routes stay until their time to live; shutting down goes on.
        return this.presence
          .release(session)
          .catch((error: unknown) => this.log.warn({ err: error }, 'route removal at shutdown failed'));
      }),
    );
    await this.consumer?.stop();
    // Senders stop queueing for this node (what is still queued is in the database: offline pull).
    await this.options.bus
      .del(RedisKey.serverAlive(this.serverId))
      .catch((error: unknown) => this.log.warn({ err: error }, 'liveness key removal failed'));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<void>(
      (resolve) => (timer = setTimeout(resolve, CLOSE_HANDSHAKE_TIMEOUT_MS)),
    );
    await Promise.race([Promise.all(sessions.map((s) => s.closed)), timedOut]);
    clearTimeout(timer);
    for (const session of this.sessions) session.ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.log.info('push node closed');
  }

  private matchesPath(req: IncomingMessage): boolean {
    const path = (req.url ?? '').split('?', 1)[0];
    return path === this.path;
  }

  /**
   * A new socket. Nothing per socket but the session and two listeners sharing one scope: no
   * timer (`IdleSweep`), no child logger (log lines carry `conn`), no set besides `sessions`.
   */
  private onConnection(ws: WebSocket, req: IncomingMessage): void {
    const session = new Session(this.nextSessionId++, ws, this.sessionHost, Date.now());
    // Once per node, at its first socket: whether frames can be written whole (ws-internals.ts).
    if (!this.wsInternalsChecked) this.wsInternalsChecked = checkWsInternals(ws, this.log);
    this.sessions.add(session);
    this.log.debug({ conn: session.id, remote: this.clientAddress(req) }, 'socket opened');
    ws.on('message', (raw: RawData, isBinary: boolean) => this.onFrame(session, raw, isBinary));
    ws.on('error', this.onSocketError);
    ws.on('close', (code: number) => this.onClose(session, code));
  }

  private onFrame(session: Session, raw: RawData, isBinary: boolean): void {
    session.touch(Date.now());
    const parsed = parseInboundFrame(raw, isBinary);
    if (!parsed.ok) return this.log.debug({ conn: session.id, reason: parsed.reason }, 'frame ignored');
    const { cmd, data } = parsed.frame;
    switch (cmd) {
      case Cmd.LOGIN:
        return void this.login(session, data).catch((error: unknown) => {
          this.metrics.logins.inc({ result: 'error' });
          this.metrics.errors.inc({ source: 'login' });
          this.log.error({ conn: session.id, err: error }, 'login failed');
          session.close(CloseCode.SERVER_ERROR, 'server error');
        });
      case Cmd.HEART_BEAT:
        return this.heartbeat(session);
      default:
        // cmd 2–5 are server-to-client only; anything else is unknown.
        return this.log.debug({ conn: session.id, cmd }, 'frame ignored');
    }
  }

  private readonly onSocketError = (error: Error): void => this.log.debug({ err: error }, 'socket error');

  private onClose(session: Session, code: number): void {
    this.sessions.delete(session);
    session.dispose();
    this.log.debug({ conn: session.id, code, user: session.user?.userId }, 'socket closed');
    this.presence.release(session).catch((error: unknown) => {
      this.metrics.errors.inc({ source: 'route' });
      this.log.error({ conn: session.id, err: error }, 'route removal failed');
    });
  }

  private cutSlowReader(slow: Session): void {
    this.metrics.slowReadersCut.inc();
    this.log.warn(
      {
        conn: slow.id,
        user: slow.user?.userId,
        buffered: slow.ws.bufferedAmount,
        bound: slow.sendBufferBytes,
      },
      'slow reader: send buffer full, closing',
    );
    slow.close(CloseCode.SLOW_CONSUMER, 'send buffer full');
    // A client that does not read will not read the close frame either.
    setTimeout(() => slow.ws.terminate(), SLOW_CONSUMER_GRACE_MS).unref();
  }

  private async login(session: Session, data: unknown): Promise<void> {
    const request = parseLoginRequest(data);
    const identity = request && this.verifier.verify(request.accessToken);
    if (!request || !identity) {
      this.metrics.logins.inc({ result: 'refused' });
      this.log.debug({ conn: session.id }, 'login refused: invalid token');
      return session.close(CloseCode.UNAUTHORIZED, 'invalid token');
    }
    if (!session.isOpen || this.closing) return;
    const outcome = await this.presence.login(session, identity, request.devId);
    if (outcome === 'revoked') {
      this.metrics.logins.inc({ result: 'refused' });
      this.log.info(
        { conn: session.id, userId: identity.userId, terminal: identity.terminal },
        'login refused: token revoked',
      );
      return session.close(CloseCode.UNAUTHORIZED, 'token revoked');
    }
    if (outcome === 'ok') {
      this.metrics.logins.inc({ result: 'ok' });
      this.log.debug({ conn: session.id, userId: identity.userId, terminal: identity.terminal }, 'logged in');
      session.send(Cmd.LOGIN, null);
    }
  }

  private heartbeat(session: Session): void {
    session.send(Cmd.HEART_BEAT, null);
    // Renew (or, after a Redis restart, rewrite) the route at most once a minute, and at
    // least four times per time to live: pushes find a reconnected Redis within ~60 s.
    const refreshEveryMs = Math.min(60_000, (this.options.onlineTtlSeconds * 1000) / 4);
    if (!session.user || Date.now() - session.lastRouteWriteAt < refreshEveryMs) return;
    session.lastRouteWriteAt = Date.now();
    this.presence
      .renew(session)
      .catch((error: unknown) => this.log.error({ conn: session.id, err: error }, 'route refresh failed'));
  }
}

function reject(socket: Duplex, status: number, text: string, headers: Record<string, string> = {}): void {
  const extra = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\n${extra}Content-Length: 0\r\n\r\n`);
}
