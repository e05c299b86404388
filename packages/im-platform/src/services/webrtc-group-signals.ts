import { AppError, WebrtcErrors } from '../errors';
import type { ServiceDeps } from './deps';
import type { GroupCallSession, GroupCallUser } from './webrtc-group-store';
import {
  MessageType,
  type UserSession,
  type WebrtcGroupFailedVO,
  type WebrtcUserInfo,
} from '@box-im/im-common';

/** Largest SDP offer/answer or ICE candidate accepted, in characters. */
const MAX_SIGNAL = 64 * 1024;
const ALL_TERMINALS = undefined;

/** Reasons sent in RTC_GROUP_FAILED frames (box-im's wording). */
export const Reason = {
  BUSY: '对方正忙',
  OFFLINE: '对方目前不在线',
  NO_ANSWER: '对方无应答',
  NOT_MEMBER: '已不在群聊中',
};

/** Tips written in the group chat (stored messages, Chinese like box-im's other tips). */
export const GroupCallTips = {
  started: (name: string) => `'${name}'发起了群通话`,
  ended: (ms: number) => {
    const s = Math.max(0, Math.round(ms / 1000));
    const mm = String(Math.floor(s / 60)).padStart(2, '0');
    return `群通话已结束,通话时长 ${mm}:${String(s % 60).padStart(2, '0')}`;
  },
};

/** Group call frames (cmd 4, types 200–211) to the users concerned, on the terminals they use. */
export class GroupCallSignals {
  constructor(private readonly deps: Pick<ServiceDeps, 'im' | 'clock'>) {}

  /** Tell the inviter (on its terminal) who could not be called, one frame per reason. */
  async reportFailed(me: UserSession, session: GroupCallSession, failed: { id: number; reason: string }[]) {
    for (const reason of unique(failed.map((f) => f.reason))) {
      const vo: WebrtcGroupFailedVO = {
        userIds: failed.filter((f) => f.reason === reason).map((f) => f.id),
        reason,
      };
      await this.deps.im.sendGroupMessage({
        sender: { id: me.userId, terminal: me.terminal },
        recvIds: [me.userId],
        recvTerminals: [me.terminal],
        sendToSelf: false,
        sendResult: false,
        data: this.frame(me, session, MessageType.RTC_GROUP_FAILED, JSON.stringify(vo)),
      });
    }
  }

  /**
   * Push a signalling frame to `to`: a participant on the terminal it joined from, an invitee
   * on all its terminals; with `toSelf`, my other terminals too (they stop ringing).
   */
  async send(
    me: UserSession,
    session: GroupCallSession,
    to: readonly (WebrtcUserInfo & { joined?: boolean; terminal?: number })[],
    type: number,
    content: string,
    toSelf = false,
  ): Promise<void> {
    const byTerminal = new Map<number | undefined, number[]>();
    for (const user of to) {
      const key = 'joined' in user && user.joined ? user.terminal : ALL_TERMINALS;
      byTerminal.set(key, [...(byTerminal.get(key) ?? []), user.id]);
    }
    if (toSelf && !byTerminal.has(ALL_TERMINALS)) byTerminal.set(ALL_TERMINALS, []);
    const data = this.frame(me, session, type, content);
    for (const [terminal, recvIds] of byTerminal) {
      const sendToSelf = toSelf && terminal === ALL_TERMINALS;
      if (recvIds.length === 0 && !sendToSelf) continue;
      await this.deps.im.sendGroupMessage({
        sender: { id: me.userId, terminal: me.terminal },
        recvIds,
        ...(terminal === ALL_TERMINALS ? {} : { recvTerminals: [terminal] }),
        sendToSelf,
        sendResult: false,
        data,
      });
    }
  }

  private frame(me: UserSession, session: GroupCallSession, type: number, content: string) {
    const sender = session.users.find((u) => u.id === me.userId);
    return {
      groupId: session.groupId,
      sendId: me.userId,
      sendNickName: sender?.nickName ?? me.nickName,
      type,
      content,
      sendTime: this.now(),
    };
  }

  private now(): number {
    return this.deps.clock.now().getTime();
  }
}

export function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

export function info(user: GroupCallUser | WebrtcUserInfo): WebrtcUserInfo {
  return {
    id: user.id,
    nickName: user.nickName,
    headImage: user.headImage,
    isCamera: user.isCamera,
    isMicroPhone: user.isMicroPhone,
  };
}

export function infosOf(session: GroupCallSession): WebrtcUserInfo[] {
  return session.users.map(info);
}

export function others(session: GroupCallSession, me: UserSession): GroupCallUser[] {
  return session.users.filter((u) => u.id !== me.userId);
}

export function joined(session: GroupCallSession, userId: number): GroupCallUser {
  const user = session.users.find((u) => u.id === userId && u.joined);
  if (!user) throw new AppError(WebrtcErrors.NOT_IN_CALL);
  return user;
}

export function invited(session: GroupCallSession, me: UserSession): GroupCallUser {
  const user = session.users.find((u) => u.id === me.userId);
  if (!user) throw new AppError(WebrtcErrors.GROUP_CALL_NOT_INVITED);
  if (user.joined) throw new AppError(WebrtcErrors.GROUP_CALL_ALREADY_IN);
  return user;
}

export function checkSignal(text: string): void {
  if (text.length > MAX_SIGNAL) throw new AppError(WebrtcErrors.SIGNAL_TOO_LARGE);
}
