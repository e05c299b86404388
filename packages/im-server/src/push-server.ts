import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { pushJson, RoutingTable, type Bus, type Consumer } from '@box-im/im-bus';
import { Cmd, CloseCode, RedisKey, type IMForceLogoutInfo } from '@box-im/im-common';
import { startDelivery } from './delivery';
import { parseInboundFrame } from './frames';
import { parseLoginRequest, TokenVerifier } from './login';
import { Session } from './session';
import { SessionRegistry } from './session-registry';

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
}

/** Milliseconds `close()` waits for clients to finish the closing handshake before cutting them. */
const CLOSE_HANDSHAKE_TIMEOUT_MS = 2000;

/**
 * A push node: holds WebSocket connections, authenticates them with the first frame,
 * records in the bus which node holds each (user, terminal), and writes the frames that
 * im-client queues for it. It knows nothing of business data.
 *
 * Route refresh policy: a heartbeat of a logged-in socket renews its route once a minute
 * has passed since the route was last written (a quarter of `onlineTtlSeconds` when that is
 * shorter), and writes it again if it vanished (Redis restarted). box-im renewed every 10th
 * heartbeat; a time rule does not depend on the client's heartbeat interval.
 */
export class PushServer {
  private readonly wss: WebSocketServer;
  private readonly routes: RoutingTable;
  private readonly registry = new SessionRegistry();
  private readonly sessions = new Set<Session>();
  private readonly verifier: TokenVerifier;
  private readonly path: string;
  private readonly log: Logger;
  private readonly attached = new Map<
    HttpServer,
    (req: IncomingMessage, socket: Duplex, head: Buffer) => void
  >();
  private consumer: Consumer | undefined;
  private nextSessionId = 1;
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly options: PushServerOptions,
    /** Id of this node, allocated with `INCR im:max_server_id`; names its queues. */
    readonly serverId: number,
  ) {
    this.routes = new RoutingTable(options.bus);
    this.verifier = new TokenVerifier(options.jwtSecret);
    this.path = options.path ?? '/im';
    this.log = options.logger.child({ mod: 'push-server', serverId });
    this.wss = new WebSocketServer({
      noServer: true,
      perMessageDeflate: false,
      maxPayload: options.maxPayloadBytes,
    });
  }

  /** Allocate a server id, start consuming this node's queues and return the node. */
  static async start(options: PushServerOptions): Promise<PushServer> {
    const serverId = await options.bus.incr(RedisKey.MAX_SERVER_ID);
    const server = new PushServer(options, serverId);
    server.consumer = startDelivery({
      bus: options.bus,
      serverId,
      logger: server.log,
      findSession: (userId, terminal) => server.registry.get(userId, terminal),
      onForceLogout: (info) => server.applyForceLogout(info),
    });
    server.log.info({ path: server.path }, 'push node started');
    return server;
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
    for (const [httpServer, listener] of this.attached) httpServer.off('upgrade', listener);
    this.attached.clear();
    const sessions = [...this.sessions];
    await Promise.all(
      sessions.map((session) => {
        session.close(CloseCode.SERVER_RESTART, 'server restart');
        return this.release(session);
      }),
    );
    await this.consumer?.stop();
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

  private onConnection(ws: WebSocket, req: IncomingMessage): void {
    const session = new Session(this.nextSessionId++, ws, this.options.idleTimeoutMs, (idle) =>
      idle.close(CloseCode.IDLE_TIMEOUT, 'idle timeout'),
    );
    this.sessions.add(session);
    const log = this.log.child({ conn: session.id });
    log.debug({ remote: req.socket.remoteAddress }, 'socket opened');
    ws.on('message', (raw: RawData, isBinary: boolean) => {
      session.touch();
      const parsed = parseInboundFrame(raw, isBinary);
      if (!parsed.ok) return log.debug({ reason: parsed.reason }, 'frame ignored');
      const { cmd, data } = parsed.frame;
      switch (cmd) {
        case Cmd.LOGIN:
          return void this.login(session, data, log).catch((error: unknown) => {
            log.error({ err: error }, 'login failed');
            session.close(CloseCode.SERVER_ERROR, 'server error');
          });
        case Cmd.HEART_BEAT:
          return this.heartbeat(session, log);
        default:
          // cmd 2–5 are server-to-client only; anything else is unknown.
          return log.debug({ cmd }, 'frame ignored');
      }
    });
    ws.on('error', (error) => log.debug({ err: error }, 'socket error'));
    ws.on('close', (code) => {
      this.sessions.delete(session);
      session.dispose();
      log.debug({ code, user: session.user?.userId }, 'socket closed');
      this.release(session).catch((error: unknown) => log.error({ err: error }, 'route removal failed'));
    });
  }

  private async login(session: Session, data: unknown, log: Logger): Promise<void> {
    const request = parseLoginRequest(data);
    const identity = request && (await this.verifier.verify(request.accessToken));
    if (!request || !identity) {
      log.debug('login refused: invalid token');
      return session.close(CloseCode.UNAUTHORIZED, 'invalid token');
    }
    if (!session.isOpen || this.closing) return;
    const { userId, terminal } = identity;
    // A second login on this socket for another identity first gives up the previous one.
    const bound = session.user;
    if (bound && (bound.userId !== userId || bound.terminal !== terminal)) await this.release(session);

    // Swap the local holder synchronously, so that concurrent logins stay consistent.
    const previous = this.registry.get(userId, terminal);
    if (previous && previous !== session) this.replace(previous, request.devId, log);
    session.markLoggedIn({ userId, terminal, devId: request.devId });
    session.lastRouteWriteAt = Date.now();
    this.registry.set(session);

    const elsewhere = await this.routes.lookupOne(identity);
    if (elsewhere !== null && elsewhere !== this.serverId) {
      const order: IMForceLogoutInfo = { userId, terminal, devId: request.devId };
      await pushJson(this.options.bus, RedisKey.forceLogoutQueue(elsewhere), [order]);
    }
    await this.routes.register(identity, this.serverId, this.options.onlineTtlSeconds);
    if (this.registry.get(userId, terminal) !== session || !session.isOpen) {
      // Closed or replaced while the route was being written: do not leave it behind.
      await this.routes.unregister(identity, this.serverId);
      return;
    }
    log.debug({ userId, terminal }, 'logged in');
    session.send(Cmd.LOGIN, null);
  }

  private heartbeat(session: Session, log: Logger): void {
    session.send(Cmd.HEART_BEAT, null);
    const user = session.user;
    // Renew (or, after a Redis restart, rewrite) the route at most once a minute, and at
    // least four times per time to live: pushes find a reconnected Redis within ~60 s.
    const refreshEveryMs = Math.min(60_000, (this.options.onlineTtlSeconds * 1000) / 4);
    if (!user || Date.now() - session.lastRouteWriteAt < refreshEveryMs) return;
    session.lastRouteWriteAt = Date.now();
    const refresh = async (): Promise<void> => {
      if (await this.routes.refresh(user, this.serverId, this.options.onlineTtlSeconds)) return;
      // The key expired (e.g. Redis restarted): write it again if we still hold the session.
      if (
        this.registry.get(user.userId, user.terminal) === session &&
        (await this.routes.lookupOne(user)) === null
      ) {
        await this.routes.register(user, this.serverId, this.options.onlineTtlSeconds);
      }
    };
    refresh().catch((error: unknown) => log.error({ err: error }, 'route refresh failed'));
  }

  /**
   * Another login of the same (user, terminal) takes over from `previous`. The same
   * non-empty device id means the device reconnected: close silently. Otherwise tell the
   * old client (cmd 2) and close it shortly after.
   */
  private replace(previous: Session, devId: string, log: Logger): void {
    const user = previous.user;
    if (!user) return;
    this.registry.deleteIf(user.userId, user.terminal, previous);
    previous.user = null;
    if (devId !== '' && devId === user.devId) {
      log.debug(
        { userId: user.userId, terminal: user.terminal },
        'same device reconnected; old socket closed',
      );
      previous.close(CloseCode.INTENTIONAL, 'reconnected');
    } else {
      log.debug({ userId: user.userId, terminal: user.terminal }, 'force logout');
      previous.forceLogout();
    }
  }

  /** A login on another node took over a (user, terminal) held here. */
  private applyForceLogout(info: IMForceLogoutInfo): void {
    const session = this.registry.get(info.userId, info.terminal);
    if (session) this.replace(session, info.devId ?? '', this.log);
  }

  /**
   * Forget a session's login: remove it from the registry and its route, both only if
   * they are still this session's (a newer login, here or elsewhere, wins).
   */
  private async release(session: Session): Promise<void> {
    const user = session.user;
    session.user = null;
    if (user && this.registry.deleteIf(user.userId, user.terminal, session)) {
      await this.routes.unregister(user, this.serverId);
    }
  }
}

function reject(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
