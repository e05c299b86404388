import type { Session } from './session';

/**
 * The logged-in sessions of this node: at most one per (user, terminal), as in box-im.
 * Only sessions with a `user` are registered.
 */
export class SessionRegistry {
  private readonly byUser = new Map<number, Map<number, Session>>();
  private count = 0;

  get(userId: number, terminal: number): Session | undefined {
    return this.byUser.get(userId)?.get(terminal);
  }

  /** Register `session` under its user; the caller has dealt with any previous holder. */
  set(session: Session): void {
    const user = session.user;
    if (!user) throw new Error('cannot register a session that is not logged in');
    let terminals = this.byUser.get(user.userId);
    if (!terminals) this.byUser.set(user.userId, (terminals = new Map<number, Session>()));
    if (!terminals.has(user.terminal)) this.count++;
    terminals.set(user.terminal, session);
  }

  /** Remove the entry of (user, terminal) only if it is `session`; true if removed. */
  deleteIf(userId: number, terminal: number, session: Session): boolean {
    const terminals = this.byUser.get(userId);
    if (terminals?.get(terminal) !== session) return false;
    terminals.delete(terminal);
    if (terminals.size === 0) this.byUser.delete(userId);
    this.count--;
    return true;
  }

  /** Number of logged-in (user, terminal) pairs. */
  get size(): number {
    return this.count;
  }
}
