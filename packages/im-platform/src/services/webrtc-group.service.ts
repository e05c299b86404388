import {
  MessageType,
  SYSTEM_TERMINAL,
  type UserSession,
  type WebrtcGroupFailedVO,
  type WebrtcGroupInfoVO,
  type WebrtcUserInfo,
} from '@box-im/im-common';
import { AppError, WebrtcErrors } from '../errors';
import { showNickName } from './group-support';
import type { ServiceDeps } from './deps';
import { GROUP_CALL_TTL_SECONDS, type GroupCallSession } from './webrtc-group-store';
import {
  GroupCallSignals,
  GroupCallTips,
  Reason,
  checkSignal,
  info,
  infosOf,
  invited,
  joined,
  others,
  unique,
} from './webrtc-group-signals';

export type WebrtcGroupServiceDeps = Pick<
  ServiceDeps,
  'groupCalls' | 'calls' | 'groupAccess' | 'groupMembers' | 'groupWriter' | 'im' | 'clock' | 'config'
>;

/**
 * Group voice/video calls (a WebRTC mesh): the platform keeps who is in a group's call (and
 * who is invited) on the bus, and relays offers, answers and candidates between pairs of
 * participants as group-message frames (cmd 4, types 200–211) to the terminal each joined
 * from. Media flows peer to peer. A participant who stops beating for
 * `GROUP_CALL_TTL_SECONDS` is dropped; the call ends when nobody is left in it, with a tip.
 */
export class WebrtcGroupService {
  /** Groups with a call this process has seen, for the sweep of dead participants. */
  private readonly seen = new Set<number>();
  private readonly signals: GroupCallSignals;

  constructor(private readonly deps: WebrtcGroupServiceDeps) {
    this.signals = new GroupCallSignals(deps);
  }

  async setup(me: UserSession, groupId: number, userInfos: readonly { id: number }[]): Promise<void> {
    await this.deps.groupAccess.activeGroup(groupId);
    await this.deps.groupAccess.member(groupId, me.userId);
    const ids = unique([me.userId, ...userInfos.map((u) => u.id)]);
    if (ids.length < 2) throw new AppError(WebrtcErrors.GROUP_CALL_TOO_FEW);
    this.checkSize(ids.length);
    const infos = await this.memberInfos(groupId, ids);
    if (!(await this.deps.im.isOnline(me.userId))) throw new AppError(WebrtcErrors.SELF_OFFLINE);
    await this.deps.groupCalls.exclusive(groupId, async () => {
      if (await this.live(groupId)) throw new AppError(WebrtcErrors.GROUP_CALL_RUNNING);
      if (await this.deps.calls.isBusy(me.userId)) throw new AppError(WebrtcErrors.SELF_BUSY);
      const { reachable, failed } = await this.reachable(infos.filter((u) => u.id !== me.userId));
      if (reachable.length === 0) {
        throw new AppError(
          failed.some((f) => f.reason === Reason.BUSY) ? WebrtcErrors.PEER_BUSY : WebrtcErrors.PEER_OFFLINE,
        );
      }
      const now = this.now();
      const host = infos.find((u) => u.id === me.userId)!;
      const session: GroupCallSession = {
        groupId,
        hostId: me.userId,
        startTime: now,
        users: [
          { ...host, joined: true, terminal: me.terminal, beat: now },
          ...reachable.map((u) => ({ ...u, joined: false, beat: now })),
        ],
      };
      await this.deps.groupCalls.save(session);
      this.seen.add(groupId);
      await this.deps.calls.setBusy(...session.users.map((u) => u.id));
      await this.signals.send(
        me,
        session,
        reachable,
        MessageType.RTC_GROUP_SETUP,
        JSON.stringify(infosOf(session)),
      );
      await this.signals.reportFailed(me, session, failed);
      await this.deps.groupWriter.tip(
        { actor: me, groupId, content: GroupCallTips.started(host.nickName) },
        { recvIds: await this.deps.groupMembers.memberIds(groupId), sendToSelf: true },
      );
    });
  }

  async accept(me: UserSession, groupId: number): Promise<void> {
    await this.change(groupId, async (session) => {
      const user = invited(session, me);
      user.joined = true;
      user.terminal = me.terminal;
      user.beat = this.now();
      await this.deps.groupCalls.save(session);
      await this.deps.calls.setBusy(me.userId);
      await this.signals.send(
        me,
        session,
        others(session, me),
        MessageType.RTC_GROUP_ACCEPT,
        JSON.stringify(info(user)),
        true,
      );
    });
  }

  async reject(me: UserSession, groupId: number): Promise<void> {
    await this.change(groupId, async (session) => {
      invited(session, me);
      await this.drop(session, [me.userId]);
      await this.signals.send(me, session, others(session, me), MessageType.RTC_GROUP_REJECT, '', true);
      await this.endIfEmpty(session);
    });
  }

  async failed(me: UserSession, groupId: number, reason: string): Promise<void> {
    checkSignal(reason);
    await this.change(groupId, async (session) => {
      invited(session, me);
      await this.drop(session, [me.userId]);
      const vo: WebrtcGroupFailedVO = { userIds: [me.userId], reason };
      await this.signals.send(
        me,
        session,
        others(session, me),
        MessageType.RTC_GROUP_FAILED,
        JSON.stringify(vo),
        true,
      );
      await this.endIfEmpty(session);
    });
  }

  async join(me: UserSession, groupId: number): Promise<void> {
    await this.deps.groupAccess.activeGroup(groupId);
    await this.deps.groupAccess.member(groupId, me.userId);
    if (!(await this.deps.im.isOnline(me.userId))) throw new AppError(WebrtcErrors.SELF_OFFLINE);
    await this.change(groupId, async (session) => {
      let user = session.users.find((u) => u.id === me.userId);
      if (user?.joined) throw new AppError(WebrtcErrors.GROUP_CALL_ALREADY_IN);
      if (!user) {
        if (await this.deps.calls.isBusy(me.userId)) throw new AppError(WebrtcErrors.SELF_BUSY);
        this.checkSize(session.users.length + 1);
        user = { ...(await this.memberInfos(groupId, [me.userId]))[0]!, joined: false, beat: 0 };
        session.users.push(user);
      }
      Object.assign(user, { joined: true, terminal: me.terminal, beat: this.now() });
      await this.deps.groupCalls.save(session);
      await this.deps.calls.setBusy(me.userId);
      await this.signals.send(
        me,
        session,
        others(session, me),
        MessageType.RTC_GROUP_JOIN,
        JSON.stringify(info(user)),
        true,
      );
    });
  }

  async invite(me: UserSession, groupId: number, userInfos: readonly { id: number }[]): Promise<void> {
    await this.deps.groupAccess.activeGroup(groupId);
    await this.change(groupId, async (session) => {
      joined(session, me.userId);
      const ids = unique(userInfos.map((u) => u.id)).filter((id) => !session.users.some((u) => u.id === id));
      if (ids.length === 0) return;
      this.checkSize(session.users.length + ids.length);
      const infos = await this.memberInfos(groupId, ids);
      const { reachable, failed } = await this.reachable(infos);
      const now = this.now();
      const before = others(session, me);
      session.users.push(...reachable.map((u) => ({ ...u, joined: false, beat: now })));
      await this.deps.groupCalls.save(session);
      await this.deps.calls.setBusy(...reachable.map((u) => u.id));
      if (reachable.length > 0) {
        await this.signals.send(me, session, before, MessageType.RTC_GROUP_INVITE, JSON.stringify(reachable));
        await this.signals.send(
          me,
          session,
          reachable,
          MessageType.RTC_GROUP_SETUP,
          JSON.stringify(infosOf(session)),
        );
      }
      await this.signals.reportFailed(me, session, failed);
    });
  }

  offer(me: UserSession, groupId: number, userId: number, offer: string): Promise<void> {
    return this.relay(me, groupId, userId, MessageType.RTC_GROUP_OFFER, offer);
  }

  answer(me: UserSession, groupId: number, userId: number, answer: string): Promise<void> {
    return this.relay(me, groupId, userId, MessageType.RTC_GROUP_ANSWER, answer);
  }

  candidate(me: UserSession, groupId: number, userId: number, candidate: string): Promise<void> {
    return this.relay(me, groupId, userId, MessageType.RTC_GROUP_CANDIDATE, candidate);
  }

  async quit(me: UserSession, groupId: number): Promise<void> {
    await this.change(groupId, async (session) => {
      joined(session, me.userId);
      await this.drop(session, [me.userId]);
      await this.signals.send(me, session, others(session, me), MessageType.RTC_GROUP_QUIT, '');
      await this.endIfEmpty(session);
    });
  }

  /** The host hangs up: invitations still ringing are withdrawn, and the host leaves. */
  async cancel(me: UserSession, groupId: number): Promise<void> {
    await this.change(groupId, async (session) => {
      joined(session, me.userId);
      if (session.hostId !== me.userId) throw new AppError(WebrtcErrors.GROUP_CALL_NOT_HOST);
      const ringing = session.users.filter((u) => !u.joined);
      await this.signals.send(me, session, ringing, MessageType.RTC_GROUP_CANCEL, '');
      await this.drop(session, [me.userId, ...ringing.map((u) => u.id)]);
      await this.signals.send(me, session, others(session, me), MessageType.RTC_GROUP_QUIT, '');
      await this.endIfEmpty(session);
    });
  }

  async device(me: UserSession, groupId: number, isCamera: boolean, isMicroPhone: boolean): Promise<void> {
    await this.change(groupId, async (session) => {
      const user = joined(session, me.userId);
      Object.assign(user, { isCamera, isMicroPhone, beat: this.now() });
      await this.deps.groupCalls.save(session);
      await this.signals.send(
        me,
        session,
        others(session, me),
        MessageType.RTC_GROUP_DEVICE,
        JSON.stringify(info(user)),
      );
    });
  }

  /** Keeps the caller in the call (or ringing); clients beat every 15 s. */
  async heartbeat(me: UserSession, groupId: number): Promise<void> {
    await this.change(groupId, async (session) => {
      const user = session.users.find((u) => u.id === me.userId);
      if (!user) throw new AppError(WebrtcErrors.NOT_IN_CALL);
      user.beat = this.now();
      await this.deps.groupCalls.save(session);
      await this.deps.calls.setBusy(me.userId);
    });
  }

  /** The call running in the group, for its members (to show it and join it). */
  async info(me: UserSession, groupId: number): Promise<WebrtcGroupInfoVO> {
    await this.deps.groupAccess.member(groupId, me.userId);
    const session = await this.deps.groupCalls.exclusive(groupId, () => this.live(groupId));
    if (!session)
      return { isChating: false, host: null, userInfos: [], invitedUserInfos: [], startTime: null };
    const host = session.users.find((u) => u.id === session.hostId);
    return {
      isChating: true,
      host: host ? info(host) : null,
      userInfos: session.users.filter((u) => u.joined).map(info),
      invitedUserInfos: session.users.filter((u) => !u.joined).map(info),
      startTime: session.startTime,
    };
  }

  /** Drop participants whose clients died in the calls this process has seen (run periodically). */
  async sweep(): Promise<void> {
    for (const groupId of [...this.seen]) {
      const session = await this.deps.groupCalls.exclusive(groupId, () => this.live(groupId));
      if (!session) this.seen.delete(groupId);
    }
  }

  private async relay(
    me: UserSession,
    groupId: number,
    userId: number,
    type: number,
    text: string,
  ): Promise<void> {
    checkSignal(text);
    await this.change(groupId, async (session) => {
      joined(session, me.userId);
      const peer = session.users.find((u) => u.id === userId && u.joined && u.id !== me.userId);
      if (!peer) throw new AppError(WebrtcErrors.GROUP_CALL_PEER_NOT_IN, { id: userId });
      await this.signals.send(me, session, [peer], type, text);
    });
  }

  /** Run `fn` on the group's live call, under the group's call lock. */
  private change(groupId: number, fn: (session: GroupCallSession) => Promise<void>): Promise<void> {
    return this.deps.groupCalls.exclusive(groupId, async () => {
      const session = await this.live(groupId);
      if (!session) throw new AppError(WebrtcErrors.GROUP_CALL_ENDED);
      this.seen.add(groupId);
      await fn(session);
    });
  }

  /** The group's call without the users whose heartbeat stopped; null (ended, tip written) if nobody is left. */
  private async live(groupId: number): Promise<GroupCallSession | null> {
    const session = await this.deps.groupCalls.get(groupId);
    if (!session) return null;
    const deadline = this.now() - GROUP_CALL_TTL_SECONDS * 1000;
    const dead = session.users.filter((u) => u.beat < deadline);
    if (dead.length === 0) return session;
    const lastBeat = Math.max(...session.users.map((u) => u.beat));
    await this.drop(
      session,
      dead.map((u) => u.id),
    );
    for (const user of dead) {
      const actor = {
        userId: user.id,
        userName: '',
        nickName: user.nickName,
        terminal: user.terminal ?? SYSTEM_TERMINAL,
      };
      if (user.joined) await this.signals.send(actor, session, session.users, MessageType.RTC_GROUP_QUIT, '');
      else {
        const vo: WebrtcGroupFailedVO = { userIds: [user.id], reason: Reason.NO_ANSWER };
        await this.signals.send(
          actor,
          session,
          session.users,
          MessageType.RTC_GROUP_FAILED,
          JSON.stringify(vo),
        );
      }
    }
    return (await this.endIfEmpty(session, lastBeat)) ? null : session;
  }

  /** Remove users from the session (saved) and free them for other calls. */
  private async drop(session: GroupCallSession, userIds: readonly number[]): Promise<void> {
    session.users = session.users.filter((u) => !userIds.includes(u.id));
    await this.deps.groupCalls.save(session);
    await this.deps.calls.setFree(...userIds);
  }

  /** End the call when nobody is in it: withdraw ringing invitations, write the end tip. */
  private async endIfEmpty(session: GroupCallSession, endTime = this.now()): Promise<boolean> {
    if (session.users.some((u) => u.joined)) return false;
    await this.deps.groupCalls.remove(session.groupId);
    this.seen.delete(session.groupId);
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
  private async reachable(users: WebrtcUserInfo[]) {
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
  private async memberInfos(groupId: number, ids: readonly number[]): Promise<WebrtcUserInfo[]> {
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

  private checkSize(count: number): void {
    const max = this.deps.config.WEBRTC_MAX_CHANNEL;
    if (count > max) throw new AppError(WebrtcErrors.GROUP_CALL_FULL, { max });
  }

  private now(): number {
    return this.deps.clock.now().getTime();
  }
}
