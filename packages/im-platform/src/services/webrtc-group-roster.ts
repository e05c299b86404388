import {
  MessageType,
  SYSTEM_TERMINAL,
  type UserSession,
  type WebrtcGroupFailedVO,
  type WebrtcUserInfo,
} from '@box-im/im-common';
import { AppError, WebrtcErrors } from '../errors';
import { showNickName } from './group-support';
import type { ServiceDeps } from './deps';
import { GROUP_CALL_TTL_SECONDS, type GroupCallSession, type GroupCallUser } from './webrtc-group-store';
import { GroupCallSignals, GroupCallTips, Reason, info, others } from './webrtc-group-signals';

export type GroupCallRosterDeps = Pick<
  ServiceDeps,
  'groupCalls' | 'calls' | 'groupMembers' | 'groupWriter' | 'im' | 'clock' | 'config' | 'log'
>;

/**
 * A user of the call as the sender of frames it causes (dropped, removed from the group). From
 * the system terminal, frames sent "to self" reach every terminal of the user, the one in the call too.
 */
function actorOf(user: GroupCallUser, terminal = user.terminal ?? SYSTEM_TERMINAL): UserSession {
  return { userId: user.id, userName: '', nickName: user.nickName, terminal };
}

/**
 * Who is in a group's call, shared by the call endpoints, the sweep and the group services:
 * the one place a session is loaded (dropping users whose heartbeat stopped), changed under
 * the group's call lock, left, and ended with the tip.
 */
export class GroupCallRoster {
  readonly signals: GroupCallSignals;

  constructor(private readonly deps: GroupCallRosterDeps) {
    this.signals = new GroupCallSignals(deps);
  }

  /** Run `fn` on the group's live call, under the group's call lock; `fn` saves what it changes. */
  change<T>(groupId: number, fn: (session: GroupCallSession) => Promise<T>): Promise<T> {
    return this.deps.groupCalls.exclusive(groupId, async () => {
      const session = await this.live(groupId);
      if (!session) throw new AppError(WebrtcErrors.GROUP_CALL_ENDED);
      return fn(session);
    });
  }

  /** The call, if one runs (under the lock: dead users are dropped on the way). */
  peek(groupId: number): Promise<GroupCallSession | null> {
    return this.deps.groupCalls.exclusive(groupId, () => this.live(groupId));
  }

  /** Drop dead participants in every call of the cluster (from the bus's index); one node sweeps at a time. */
  async sweep(): Promise<void> {
    await this.deps.groupCalls.sweeping(async () => {
      for (const groupId of await this.deps.groupCalls.indexed()) {
        await this.deps.groupCalls.exclusive(groupId, async () => {
          // An entry without a session (ended, or expired on the bus) is pruned under the same lock a setup takes.
          if (!(await this.live(groupId))) await this.deps.groupCalls.index([groupId], false);
        });
      }
    });
  }

  /** A user answers or joins: in the call from this terminal, busy, and the others are told. */
  async enter(me: UserSession, session: GroupCallSession, user: GroupCallUser, type: number): Promise<void> {
    Object.assign(user, { joined: true, terminal: me.terminal, beat: this.now() });
    await this.deps.groupCalls.save(session);
    await this.deps.calls.setBusy(me.userId);
    await this.signals.send(me, session, others(session, me), type, JSON.stringify(info(user)), true);
  }

  /** `actor` leaves (with `also`, e.g. the invitations a host withdraws): the others get `type`; the call ends if empty. */
  async leave(
    actor: UserSession,
    session: GroupCallSession,
    type: number,
    content: string,
    toSelf: boolean,
    also: readonly number[] = [],
  ): Promise<void> {
    await this.drop(session, [actor.userId, ...also]);
    await this.signals.send(actor, session, session.users, type, content, toSelf);
    await this.endIfEmpty(session);
  }

  /** Users who left the group (quit or removed) leave its call at once, told on their own terminals too. */
  async membersLeft(groupId: number, userIds: readonly number[]): Promise<void> {
    await this.safely(groupId, async () => {
      const session = await this.live(groupId);
      const leaving = session?.users.filter((u) => userIds.includes(u.id)) ?? [];
      if (!session || leaving.length === 0) return;
      await this.depart(session, leaving, Reason.NOT_MEMBER, true);
      await this.endIfEmpty(session);
    });
  }

  /** The group was dissolved or banned: its call ends for everyone, without a call tip. */
  async groupGone(groupId: number): Promise<void> {
    await this.safely(groupId, async () => {
      const session = await this.deps.groupCalls.get(groupId);
      if (!session) return;
      const host = session.users.find((u) => u.id === session.hostId) ?? session.users[0];
      if (host) {
        const actor = actorOf(host, SYSTEM_TERMINAL);
        await this.signals.send(actor, session, session.users, MessageType.RTC_GROUP_CANCEL, '', true);
      }
      await this.deps.calls.setFree(...session.users.map((u) => u.id));
      await this.deps.groupCalls.remove(groupId);
    });
  }

  /** The group's call without the users whose heartbeat stopped; null (ended, tip written) if nobody is left. */
  async live(groupId: number): Promise<GroupCallSession | null> {
    const session = await this.deps.groupCalls.get(groupId);
    if (!session) return null;
    const deadline = this.now() - GROUP_CALL_TTL_SECONDS * 1000;
    const dead = session.users.filter((u) => u.beat < deadline);
    if (dead.length === 0) return session;
    const lastBeat = Math.max(...session.users.map((u) => u.beat));
    await this.depart(session, dead, Reason.NO_ANSWER, false);
    return (await this.endIfEmpty(session, lastBeat)) ? null : session;
  }

  /** Users drop out (not by their own request): the others get a quit, or a failure for an invitee. */
  private async depart(
    session: GroupCallSession,
    users: GroupCallUser[],
    reason: string,
    toSelf: boolean,
  ): Promise<void> {
    await this.drop(
      session,
      users.map((u) => u.id),
    );
    for (const user of users) {
      const vo: WebrtcGroupFailedVO = { userIds: [user.id], reason };
      const [type, content] = user.joined
        ? [MessageType.RTC_GROUP_QUIT, '']
        : [MessageType.RTC_GROUP_FAILED, JSON.stringify(vo)];
      const actor = toSelf ? actorOf(user, SYSTEM_TERMINAL) : actorOf(user);
      await this.signals.send(actor, session, session.users, type, content, toSelf);
    }
  }

  /** Remove users from the session (saved) and free them for other calls. */
  async drop(session: GroupCallSession, userIds: readonly number[]): Promise<void> {
    session.users = session.users.filter((u) => !userIds.includes(u.id));
    await this.deps.groupCalls.save(session);
    await this.deps.calls.setFree(...userIds);
  }

  /** End the call when nobody is in it: withdraw ringing invitations, write the end tip. */
  async endIfEmpty(session: GroupCallSession, endTime = this.now()): Promise<boolean> {
    if (session.users.some((u) => u.joined)) return false;
    await this.deps.groupCalls.remove(session.groupId);
    const ringing = session.users;
    const host: UserSession = {
      userId: session.hostId,
      userName: '',
      nickName: '',
      terminal: SYSTEM_TERMINAL,
    };
    if (ringing.length > 0) {
      await this.signals.send(host, session, ringing, MessageType.RTC_GROUP_CANCEL, '');
      await this.deps.calls.setFree(...ringing.map((u) => u.id));
    }
    const members = await this.deps.groupMembers.findUsers(session.groupId, [session.hostId]);
    await this.deps.groupWriter.tip(
      {
        actor: host,
        groupId: session.groupId,
        sendNickName: members[0] ? showNickName(members[0]) : '',
        content: GroupCallTips.ended(endTime - session.startTime),
      },
      { recvIds: await this.deps.groupMembers.memberIds(session.groupId) },
    );
    return true;
  }

  /** Users unreachable (offline or in another call) are split off with the reason. */
  async reachable(users: WebrtcUserInfo[]) {
    const reachable: WebrtcUserInfo[] = [];
    const failed: { id: number; reason: string }[] = [];
    for (const user of users) {
      if (!(await this.deps.im.isOnline(user.id))) failed.push({ id: user.id, reason: Reason.OFFLINE });
      else if (await this.deps.calls.isBusy(user.id)) failed.push({ id: user.id, reason: Reason.BUSY });
      else reachable.push(user);
    }
    return { reachable, failed };
  }

  /** Members' call cards (their name in the group and avatar); every id must be a current member. */
  async memberInfos(groupId: number, ids: readonly number[]): Promise<WebrtcUserInfo[]> {
    const rows = await this.deps.groupMembers.findUsers(groupId, ids);
    return ids.map((id) => {
      const row = rows.find((r) => r.user_id === id && !r.quit);
      if (!row) throw new AppError(WebrtcErrors.GROUP_CALL_NOT_MEMBER, { id });
      return {
        id,
        nickName: showNickName(row),
        headImage: row.head_image ?? '',
        isCamera: false,
        isMicroPhone: true,
      };
    });
  }

  checkSize(count: number): void {
    const max = this.deps.config.WEBRTC_MAX_CHANNEL;
    if (count > max) throw new AppError(WebrtcErrors.GROUP_CALL_FULL, { max });
  }

  now(): number {
    return this.deps.clock.now().getTime();
  }

  /**
   * Membership changes are done when this runs: a call that cannot be updated now (lock busy,
   * bus down) is logged, and its users drop out by the heartbeat rule instead.
   */
  private async safely(groupId: number, fn: () => Promise<void>): Promise<void> {
    try {
      await this.deps.groupCalls.exclusive(groupId, fn);
    } catch (err) {
      this.deps.log.warn({ err, groupId }, 'group call not updated after a membership change');
    }
  }
}
