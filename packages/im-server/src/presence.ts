import type { Logger } from 'pino';
import { isRevokedBy, pushJson, RoutingTable, TokenRevocations, type Bus } from '@box-im/im-bus';
import { CloseCode, RedisKey, type IMForceLogoutInfo } from '@box-im/im-common';
import type { TokenIdentity } from './login';
import type { Session } from './session';
import { SessionRegistry } from './session-registry';

export interface PresenceOptions {
  bus: Bus;
  /** This node's id: the value of the routes it holds. */
  serverId: number;
  /** Seconds a route lives without renewal. */
  onlineTtlSeconds: number;
  logger: Logger;
}

/** How a login ended: acknowledged, refused (revoked token), or overtaken while it ran. */
export type LoginOutcome = 'ok' | 'revoked' | 'superseded';

/**
 * Which (user, terminal) pairs this node holds, kept consistent with the routing table and
 * the revocation markers on the bus. One connection per pair across all nodes:
 * - a login claims the route atomically and tells the node it displaced (force-logout order);
 * - an order is applied only if it still holds: the route is no longer ours, or the
 *   session's token was revoked (otherwise a newer login here already superseded it);
 * - a heartbeat renews the route, restores it if it vanished, and drops the session if
 *   another node took the pair meanwhile;
 * - a token revoked on the bus (password change, ban, deletion) never logs in, and a ban
 *   notice closes the sockets whose token it revoked.
 */
export class Presence {
  readonly registry = new SessionRegistry();
  private readonly routes: RoutingTable;
  private readonly revocations: TokenRevocations;
  private readonly log: Logger;

  constructor(private readonly options: PresenceOptions) {
    this.routes = new RoutingTable(options.bus);
    this.revocations = new TokenRevocations(options.bus);
    this.log = options.logger;
  }

  /**
   * Log `session` in as `identity`: refuse a revoked token before touching anything, take
   * the pair over locally, then claim its route. Bus failures reject (the caller closes 1011).
   */
  async login(session: Session, identity: TokenIdentity, devId: string): Promise<LoginOutcome> {
    if (await this.revocations.isRevoked(identity.userId, identity.issuedAtMs)) return 'revoked';
    if (!session.isOpen) return 'superseded';
    const { userId, terminal, issuedAtMs } = identity;
    // A second login on this socket for another identity first gives up the previous one.
    const bound = session.user;
    if (bound && (bound.userId !== userId || bound.terminal !== terminal)) await this.release(session);

    // Swap the local holder synchronously, so that concurrent logins stay consistent.
    const previous = this.registry.get(userId, terminal);
    if (previous && previous !== session) this.replace(previous, devId);
    session.markLoggedIn({ userId, terminal, devId, issuedAtMs });
    session.lastRouteWriteAt = Date.now();
    this.registry.set(session);
    const claim = this.claim(session, identity, devId);
    // Kept only while it runs: a settled claim holds no promise per idle socket.
    const pending: Promise<unknown> = claim.then(
      () => session.claimSettled(pending),
      () => session.claimSettled(pending),
    );
    session.routeClaim = pending;
    return claim;
  }

  private async claim(session: Session, identity: TokenIdentity, devId: string): Promise<LoginOutcome> {
    const { userId, terminal } = identity;
    const displaced = await this.routes.claim(identity, this.options.serverId, this.options.onlineTtlSeconds);
    // Checked again now that the route is written: a revocation that landed meanwhile either
    // sees this route (and its orders reach us) or is seen here.
    if (await this.revocations.isRevoked(userId, identity.issuedAtMs)) {
      if (session.user) this.registry.deleteIf(userId, terminal, session);
      session.user = null;
      await this.unregisterIfUnheld(identity);
      return 'revoked';
    }
    if (displaced !== null && displaced !== this.options.serverId) {
      const order: IMForceLogoutInfo = { userId, terminal, devId };
      await pushJson(this.options.bus, RedisKey.forceLogoutQueue(displaced), [order]);
    }
    if (this.registry.get(userId, terminal) !== session || !session.isOpen) {
      // Closed or replaced while the route was being written: leave no route behind, unless
      // a newer login here holds the pair (the route is right for it).
      await this.unregisterIfUnheld(identity);
      return 'superseded';
    }
    return 'ok';
  }

  /**
   * Renew the route of a logged-in session (heartbeat). If another node took the pair, this
   * connection lost it without being told (e.g. Redis lost the order): it is logged out.
   */
  async renew(session: Session): Promise<void> {
    const user = session.user;
    if (!user || this.registry.get(user.userId, user.terminal) !== session) return;
    const outcome = await this.routes.renew(user, this.options.serverId, this.options.onlineTtlSeconds);
    const who = { conn: session.id, userId: user.userId, terminal: user.terminal };
    if (outcome === 'restored') this.log.info(who, 'route restored');
    if (outcome === 'taken' && this.registry.get(user.userId, user.terminal) === session) {
      this.log.info(who, 'route taken by another node; logged out');
      this.replace(session, '');
    }
  }

  /**
   * A force-logout order: a login elsewhere displaced this node's route of the pair, or the
   * platform revoked the user's tokens. Stale orders (a newer login here holds the route with a
   * valid token) are ignored; when the bus cannot tell, the order is applied.
   */
  async applyForceLogout(info: IMForceLogoutInfo): Promise<void> {
    const session = this.registry.get(info.userId, info.terminal);
    if (!session) return;
    await session.routeClaim;
    const user = session.user;
    if (!user || this.registry.get(user.userId, user.terminal) !== session) return;
    let stale = false;
    try {
      const owner = await this.routes.lookupOne(user);
      stale =
        owner === this.options.serverId && !(await this.revocations.isRevoked(user.userId, user.issuedAtMs));
    } catch (error) {
      this.log.error({ err: error, userId: user.userId }, 'cannot check a force-logout order; applying it');
    }
    if (stale) {
      this.log.debug({ userId: user.userId, terminal: user.terminal }, 'stale force-logout order ignored');
      return;
    }
    if (this.registry.get(user.userId, user.terminal) === session) this.replace(session, info.devId ?? '');
  }

  /**
   * A ban notice (USER_BANNED) was written to `session`: hold further frames, then close the
   * socket (3000) unless its token was issued after the user's latest revocation (a login
   * after an unban). A notice without a marker (sent by a platform that writes none) closes too.
   */
  async onBanNotice(session: Session): Promise<void> {
    const user = session.user;
    if (!user) return;
    session.suspend();
    let keep = false;
    try {
      const validAfter = await this.revocations.validAfter(user.userId);
      keep = validAfter !== null && !isRevokedBy(validAfter, user.issuedAtMs);
    } catch (error) {
      this.log.error({ err: error, userId: user.userId }, 'cannot read the revocation marker; closing');
    }
    if (keep) return session.resume();
    this.log.info({ userId: user.userId, terminal: user.terminal }, 'banned user disconnected');
    session.close(CloseCode.INTENTIONAL, 'banned');
  }

  /**
   * Another login of the same (user, terminal) takes over from `previous`. The same
   * non-empty device id means the device reconnected: close silently. Otherwise tell the
   * old client (cmd 2) and close it shortly after.
   */
  replace(previous: Session, devId: string): void {
    const user = previous.user;
    if (!user) return;
    this.registry.deleteIf(user.userId, user.terminal, previous);
    previous.user = null;
    const who = { conn: previous.id, userId: user.userId, terminal: user.terminal };
    if (devId !== '' && devId === user.devId) {
      this.log.debug(who, 'same device reconnected; old socket closed');
      previous.close(CloseCode.INTENTIONAL, 'reconnected');
    } else {
      this.log.debug(who, 'force logout');
      previous.forceLogout();
    }
  }

  /**
   * Forget a session's login: remove it from the registry and its route, both only if
   * they are still this session's (a newer login, here or elsewhere, wins).
   */
  async release(session: Session): Promise<void> {
    const user = session.user;
    session.user = null;
    if (user && this.registry.deleteIf(user.userId, user.terminal, session)) {
      await this.routes.unregister(user, this.options.serverId);
    }
  }

  private async unregisterIfUnheld(who: TokenIdentity): Promise<void> {
    if (!this.registry.get(who.userId, who.terminal)) {
      await this.routes.unregister(who, this.options.serverId);
    }
  }
}
