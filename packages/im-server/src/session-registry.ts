import type { Session } from './session';

/** Terminals fit in 3 bits (box-im has 0..2): (user, terminal) is one number, one map entry. */
const TERMINAL_SLOTS = 8;

/** The map key of (user, terminal); null for a pair no session can hold. */
function keyOf(userId: number, terminal: number): number | null {
  if (!Number.isInteger(terminal) || terminal < 0 || terminal >= TERMINAL_SLOTS) return null;
  const key = userId * TERMINAL_SLOTS + terminal;
  return Number.isSafeInteger(key) ? key : null;
}

/**
 * The logged-in sessions of this node: at most one per (user, terminal), as in box-im.
 * Only sessions with a `user` are registered. One flat map (no map per user: memory per
 * idle socket).
 */
export class SessionRegistry {
  private readonly byPair = new Map<number, Session>();

  get(userId: number, terminal: number): Session | undefined {
    const key = keyOf(userId, terminal);
    return key === null ? undefined : this.byPair.get(key);
  }

  /** Register `session` under its user; the caller has dealt with any previous holder. */
  set(session: Session): void {
    const user = session.user;
    if (!user) throw new Error('cannot register a session that is not logged in');
    const key = keyOf(user.userId, user.terminal);
    if (key === null) throw new Error(`cannot register terminal ${user.terminal} of user ${user.userId}`);
    this.byPair.set(key, session);
  }

  /** Remove the entry of (user, terminal) only if it is `session`; true if removed. */
  deleteIf(userId: number, terminal: number, session: Session): boolean {
    const key = keyOf(userId, terminal);
    if (key === null || this.byPair.get(key) !== session) return false;
    this.byPair.delete(key);
    return true;
  }

  /** Number of logged-in (user, terminal) pairs. */
  get size(): number {
    return this.byPair.size;
  }
}
