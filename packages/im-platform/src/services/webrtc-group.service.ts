import {
  MessageType,
  type UserSession,
  type WebrtcGroupFailedVO,
  type WebrtcGroupInfoVO,
} from '@box-im/im-common';
import { AppError, WebrtcErrors } from '../errors';
import type { ServiceDeps } from './deps';
import type { GroupCallSession } from './webrtc-group-store';
import {
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
  'groupCalls' | 'groupCallRoster' | 'calls' | 'groupAccess' | 'groupMembers' | 'groupWriter' | 'im'
>;

/**
 * Group voice/video calls (a WebRTC mesh): the platform keeps who is in a group's call (and
 * who is invited) on the bus, and relays offers, answers and candidates between pairs of
 * participants as group-message frames (cmd 4, types 200–211) to the terminal each joined
 * from. Media flows peer to peer. A participant who stops beating for
 * `GROUP_CALL_TTL_SECONDS` is dropped; the call ends when nobody is left in it, with a tip.
 * Loading, leaving and ending a call are the roster's (`GroupCallRoster`).
 */
export class WebrtcGroupService {
  constructor(private readonly deps: WebrtcGroupServiceDeps) {}

  private get roster() {
    return this.deps.groupCallRoster;
  }

  private get signals() {
    return this.deps.groupCallRoster.signals;
  }

  async setup(me: UserSession, groupId: number, userInfos: readonly { id: number }[]): Promise<void> {
    await this.deps.groupAccess.activeGroup(groupId);
    await this.deps.groupAccess.member(groupId, me.userId);
    const ids = unique([me.userId, ...userInfos.map((u) => u.id)]);
    if (ids.length < 2) throw new AppError(WebrtcErrors.GROUP_CALL_TOO_FEW);
    this.roster.checkSize(ids.length);
    const infos = await this.roster.memberInfos(groupId, ids);
    if (!(await this.deps.im.isOnline(me.userId))) throw new AppError(WebrtcErrors.SELF_OFFLINE);
    await this.deps.groupCalls.exclusive(groupId, async () => {
      if (await this.roster.live(groupId)) throw new AppError(WebrtcErrors.GROUP_CALL_RUNNING);
      if (await this.deps.calls.isBusy(me.userId)) throw new AppError(WebrtcErrors.SELF_BUSY);
      const { reachable, failed } = await this.roster.reachable(infos.filter((u) => u.id !== me.userId));
      if (reachable.length === 0) {
        throw new AppError(
          failed.some((f) => f.reason === Reason.BUSY) ? WebrtcErrors.PEER_BUSY : WebrtcErrors.PEER_OFFLINE,
        );
      }
      const now = this.roster.now();
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
      await this.deps.groupCalls.index([groupId], true);
      await this.deps.calls.setBusy(...session.users.map((u) => u.id));
      const setup = JSON.stringify(infosOf(session));
      await this.signals.send(me, session, reachable, MessageType.RTC_GROUP_SETUP, setup);
      await this.signals.reportFailed(me, session, failed);
      await this.deps.groupWriter.tip(
        { actor: me, groupId, content: GroupCallTips.started(host.nickName) },
        { recvIds: await this.deps.groupMembers.memberIds(groupId), sendToSelf: true },
      );
    });
  }

  accept(me: UserSession, groupId: number): Promise<void> {
    return this.roster.change(groupId, (session) =>
      this.roster.enter(me, session, invited(session, me), MessageType.RTC_GROUP_ACCEPT),
    );
  }

  reject(me: UserSession, groupId: number): Promise<void> {
    return this.roster.change(groupId, async (session) => {
      invited(session, me);
      await this.roster.leave(me, session, MessageType.RTC_GROUP_REJECT, '', true);
    });
  }

  async failed(me: UserSession, groupId: number, reason: string): Promise<void> {
    checkSignal(reason);
    await this.roster.change(groupId, async (session) => {
      invited(session, me);
      const vo: WebrtcGroupFailedVO = { userIds: [me.userId], reason };
      await this.roster.leave(me, session, MessageType.RTC_GROUP_FAILED, JSON.stringify(vo), true);
    });
  }

  async join(me: UserSession, groupId: number): Promise<void> {
    await this.deps.groupAccess.activeGroup(groupId);
    await this.deps.groupAccess.member(groupId, me.userId);
    if (!(await this.deps.im.isOnline(me.userId))) throw new AppError(WebrtcErrors.SELF_OFFLINE);
    await this.roster.change(groupId, async (session) => {
      let user = session.users.find((u) => u.id === me.userId);
      if (user?.joined) throw new AppError(WebrtcErrors.GROUP_CALL_ALREADY_IN);
      if (!user) {
        if (await this.deps.calls.isBusy(me.userId)) throw new AppError(WebrtcErrors.SELF_BUSY);
        this.roster.checkSize(session.users.length + 1);
        user = { ...(await this.roster.memberInfos(groupId, [me.userId]))[0]!, joined: false, beat: 0 };
        session.users.push(user);
      }
      await this.roster.enter(me, session, user, MessageType.RTC_GROUP_JOIN);
    });
  }

  async invite(me: UserSession, groupId: number, userInfos: readonly { id: number }[]): Promise<void> {
    await this.deps.groupAccess.activeGroup(groupId);
    await this.roster.change(groupId, async (session) => {
      joined(session, me.userId);
      const ids = unique(userInfos.map((u) => u.id)).filter((id) => !session.users.some((u) => u.id === id));
      if (ids.length === 0) return;
      this.roster.checkSize(session.users.length + ids.length);
      const infos = await this.roster.memberInfos(groupId, ids);
      const { reachable, failed } = await this.roster.reachable(infos);
      const now = this.roster.now();
      const before = others(session, me);
      session.users.push(...reachable.map((u) => ({ ...u, joined: false, beat: now })));
      await this.deps.groupCalls.save(session);
      await this.deps.calls.setBusy(...reachable.map((u) => u.id));
      if (reachable.length > 0) {
        await this.signals.send(me, session, before, MessageType.RTC_GROUP_INVITE, JSON.stringify(reachable));
        const setup = JSON.stringify(infosOf(session));
        await this.signals.send(me, session, reachable, MessageType.RTC_GROUP_SETUP, setup);
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

  quit(me: UserSession, groupId: number): Promise<void> {
    return this.roster.change(groupId, async (session) => {
      joined(session, me.userId);
      await this.roster.leave(me, session, MessageType.RTC_GROUP_QUIT, '', false);
    });
  }

  /** The host hangs up: invitations still ringing are withdrawn, and the host leaves. */
  cancel(me: UserSession, groupId: number): Promise<void> {
    return this.roster.change(groupId, async (session) => {
      joined(session, me.userId);
      if (session.hostId !== me.userId) throw new AppError(WebrtcErrors.GROUP_CALL_NOT_HOST);
      const ringing = session.users.filter((u) => !u.joined);
      await this.signals.send(me, session, ringing, MessageType.RTC_GROUP_CANCEL, '');
      const withdrawn = ringing.map((u) => u.id);
      await this.roster.leave(me, session, MessageType.RTC_GROUP_QUIT, '', false, withdrawn);
    });
  }

  device(me: UserSession, groupId: number, isCamera: boolean, isMicroPhone: boolean): Promise<void> {
    return this.roster.change(groupId, async (session) => {
      const user = joined(session, me.userId);
      Object.assign(user, { isCamera, isMicroPhone, beat: this.roster.now() });
      await this.deps.groupCalls.save(session);
      const vo = JSON.stringify(info(user));
      await this.signals.send(me, session, others(session, me), MessageType.RTC_GROUP_DEVICE, vo);
    });
  }

  /** Keeps the caller in the call (or ringing); clients beat every 15 s. */
  heartbeat(me: UserSession, groupId: number): Promise<void> {
    return this.roster.change(groupId, async (session) => {
      const user = session.users.find((u) => u.id === me.userId);
      if (!user) throw new AppError(WebrtcErrors.NOT_IN_CALL);
      user.beat = this.roster.now();
      await this.deps.groupCalls.save(session);
      await this.deps.calls.setBusy(me.userId);
    });
  }

  /** The call running in the group, for its members (to show it and join it). */
  async info(me: UserSession, groupId: number): Promise<WebrtcGroupInfoVO> {
    await this.deps.groupAccess.member(groupId, me.userId);
    const session = await this.roster.peek(groupId);
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

  /** Drop participants whose clients died, in every call of the cluster (run periodically). */
  sweep(): Promise<void> {
    return this.roster.sweep();
  }

  private relay(me: UserSession, groupId: number, userId: number, type: number, text: string) {
    checkSignal(text);
    return this.roster.change(groupId, async (session) => {
      joined(session, me.userId);
      const peer = session.users.find((u) => u.id === userId && u.joined && u.id !== me.userId);
      if (!peer) throw new AppError(WebrtcErrors.GROUP_CALL_PEER_NOT_IN, { id: userId });
      await this.signals.send(me, session, [peer], type, text);
    });
  }
}
