import { MessageStatus, MessageType, SYSTEM_TERMINAL, type UserSession } from '@box-im/im-common';
import { AppError, WebrtcErrors } from '../errors';
import type { CallSession } from './webrtc-call-store';
import type { ServiceDeps } from './deps';

/** Largest SDP offer/answer or ICE candidate accepted, in characters. */
const MAX_SIGNAL = 64 * 1024;

/** Text of the call record shown in the chat (box-im's wording). */
const Record = {
  MISSED: '未接通',
  REJECTED: '已拒绝',
  CANCELLED: '已取消',
  duration: (ms: number) => {
    const s = Math.max(0, Math.round(ms / 1000));
    return `通话时长 ${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
  },
};

/**
 * One-to-one voice/video call signalling (box-im §5.10): the platform relays SDP offers,
 * answers and ICE candidates as push frames (types 100–107) and keeps a short-lived session
 * on the bus; media flows peer to peer. Fixes over box-im: only friends can call, hanging
 * up before the answer works, caller candidates sent before the answer reach every terminal
 * of the callee.
 */
export type WebrtcPrivateServiceDeps = Pick<
  ServiceDeps,
  'calls' | 'friends' | 'privateWriter' | 'im' | 'clock'
>;

export class WebrtcPrivateService {
  constructor(private readonly deps: WebrtcPrivateServiceDeps) {}

  async call(me: UserSession, uid: number, mode: string, offer: string): Promise<void> {
    if (uid === me.userId) throw new AppError(WebrtcErrors.CALL_SELF);
    if (!(await this.deps.friends.isFriend(me.userId, uid))) throw new AppError(WebrtcErrors.CALL_NOT_FRIEND);
    checkSignal(offer);
    const callMode = mode === 'voice' ? 'voice' : 'video';
    if (!(await this.deps.im.isOnline(me.userId))) throw new AppError(WebrtcErrors.SELF_OFFLINE);
    // In a group call (or another private one): hang up there first.
    if (await this.deps.calls.isBusy(me.userId)) throw new AppError(WebrtcErrors.SELF_BUSY);
    const session: CallSession = {
      callerId: me.userId,
      callerTerminal: me.terminal,
      acceptorId: uid,
      mode: callMode,
    };
    if (!(await this.deps.im.isOnline(uid))) {
      await this.record(session, Record.MISSED, MessageStatus.PENDING);
      throw new AppError(WebrtcErrors.PEER_OFFLINE);
    }
    if (await this.deps.calls.isBusy(uid)) {
      await this.record(session, Record.MISSED, MessageStatus.PENDING);
      throw new AppError(WebrtcErrors.PEER_BUSY);
    }
    await this.deps.calls.save(session);
    await this.deps.calls.setBusy(me.userId, uid);
    const type = callMode === 'video' ? MessageType.RTC_CALL_VIDEO : MessageType.RTC_CALL_VOICE;
    await this.signal(me, uid, type, offer, { sendToSelf: false });
  }

  async accept(me: UserSession, uid: number, answer: string): Promise<void> {
    checkSignal(answer);
    const session = await this.sessionOf(me, uid);
    if (session.acceptorId !== me.userId) throw new AppError(WebrtcErrors.NOT_IN_CALL);
    session.acceptorTerminal = me.terminal;
    session.chatTimeStamp = this.now();
    await this.deps.calls.save(session);
    // The caller's terminal gets the answer; my other terminals stop ringing.
    await this.signal(me, uid, MessageType.RTC_ACCEPT, answer, {
      recvTerminals: [session.callerTerminal],
      sendToSelf: true,
    });
  }

  async reject(me: UserSession, uid: number): Promise<void> {
    const session = await this.end(me, uid);
    await this.signal(me, uid, MessageType.RTC_REJECT, '', {
      recvTerminals: [session.callerTerminal],
      sendToSelf: true,
    });
    await this.record(session, Record.REJECTED, MessageStatus.READED);
  }

  async cancel(me: UserSession, uid: number): Promise<void> {
    const session = await this.end(me, uid);
    await this.signal(me, uid, MessageType.RTC_CANCEL, '', { sendToSelf: false });
    await this.record(session, Record.CANCELLED, MessageStatus.PENDING);
  }

  async failed(me: UserSession, uid: number, reason: string): Promise<void> {
    checkSignal(reason);
    const session = await this.end(me, uid);
    await this.signal(me, uid, MessageType.RTC_FAILED, reason, {
      recvTerminals: [session.callerTerminal],
      sendToSelf: false,
    });
    await this.record(session, Record.MISSED, MessageStatus.READED);
  }

  async handup(me: UserSession, uid: number): Promise<void> {
    const session = await this.end(me, uid);
    await this.signal(me, uid, MessageType.RTC_HANDUP, '', {
      recvTerminals: this.peerTerminals(me, session),
      sendToSelf: false,
    });
    const text = session.chatTimeStamp
      ? Record.duration(this.now() - session.chatTimeStamp)
      : Record.CANCELLED;
    await this.record(session, text, MessageStatus.READED);
  }

  async candidate(me: UserSession, uid: number, candidate: string): Promise<void> {
    checkSignal(candidate);
    const session = await this.sessionOf(me, uid);
    await this.signal(me, uid, MessageType.RTC_CANDIDATE, candidate, {
      recvTerminals: this.peerTerminals(me, session),
      sendToSelf: false,
    });
  }

  async heartbeat(me: UserSession, uid: number): Promise<void> {
    if (!(await this.deps.calls.keepAlive(me.userId, uid, me.userId)))
      throw new AppError(WebrtcErrors.CALL_ENDED);
  }

  /** The peer's terminal once known; before the answer, every terminal of the acceptor. */
  private peerTerminals(me: UserSession, session: CallSession): number[] | undefined {
    if (me.userId === session.acceptorId) return [session.callerTerminal];
    return session.acceptorTerminal === undefined ? undefined : [session.acceptorTerminal];
  }

  private async sessionOf(me: UserSession, uid: number): Promise<CallSession> {
    const session = await this.deps.calls.get(me.userId, uid);
    if (!session) throw new AppError(WebrtcErrors.CALL_ENDED);
    if (session.callerId !== me.userId && session.acceptorId !== me.userId)
      throw new AppError(WebrtcErrors.NOT_IN_CALL);
    return session;
  }

  /** Close the session and free both users. */
  private async end(me: UserSession, uid: number): Promise<CallSession> {
    const session = await this.sessionOf(me, uid);
    await this.deps.calls.remove(session.callerId, session.acceptorId);
    await this.deps.calls.setFree(session.callerId, session.acceptorId);
    return session;
  }

  private async signal(
    me: UserSession,
    uid: number,
    type: number,
    content: string,
    opts: { recvTerminals?: number[] | undefined; sendToSelf: boolean },
  ): Promise<void> {
    await this.deps.im.sendPrivateMessage({
      sender: { id: me.userId, terminal: me.terminal },
      recvId: uid,
      ...(opts.recvTerminals ? { recvTerminals: opts.recvTerminals } : {}),
      sendToSelf: opts.sendToSelf,
      sendResult: false,
      data: { type, sendId: me.userId, recvId: uid, content, sendTime: this.now() },
    });
  }

  /** The call record: a stored private message (type 40/41) from the caller, on every terminal of both. */
  private async record(session: CallSession, content: string, status: number): Promise<void> {
    await this.deps.privateWriter.write(
      {
        sender: { id: session.callerId, terminal: SYSTEM_TERMINAL },
        recvId: session.acceptorId,
        tmpId: null,
        type: session.mode === 'video' ? MessageType.ACT_RT_VIDEO : MessageType.ACT_RT_VOICE,
        content,
        status,
      },
      'both-sides',
    );
  }

  private now(): number {
    return this.deps.clock.now().getTime();
  }
}

function checkSignal(text: string): void {
  if (text.length > MAX_SIGNAL) throw new AppError(WebrtcErrors.SIGNAL_TOO_LARGE);
}
