/**
 * One-to-one voice/video call over WebRTC, signalled through `/api/webrtc/private/*` and
 * private frames of types 100–107. Framework-free: the host hands in a state object (Vue
 * makes it reactive) and reads the streams from `local`/`remote` when `onStreams` fires.
 */
import { MessageType, type PrivateMessageVO } from '@box-im/im-common';
import type { ImApi } from '../http/api';
import { parseJson } from '../model/kinds';
import type { TimerHandle } from '../platform';
import {
  every,
  RTC_HEARTBEAT_MS,
  RTC_NO_ANSWER_MS,
  RTC_NO_ANSWER_REASON,
  type RtcCandidate,
  type RtcDescription,
  type RtcHost,
  type RtcMedia,
  type RtcPeer,
} from './media';

export type CallMode = 'voice' | 'video';

export interface PrivateCallState {
  state: 'close' | 'waiting' | 'chatting';
  mode: CallMode;
  isHost: boolean;
  peerId: number;
  peerName: string;
  peerHead: string;
  startedAt: number;
}

export const privateCallState = (): PrivateCallState => ({
  state: 'close',
  mode: 'video',
  isHost: false,
  peerId: 0,
  peerName: '',
  peerHead: '',
  startedAt: 0,
});

export interface PrivateCallDeps<S> {
  api: Pick<ImApi, 'rtc'>;
  media: RtcMedia<S>;
  host: RtcHost;
  /** The state the UI shows (the host may pass a reactive object). */
  state: PrivateCallState;
  /** A friend's name and avatar. */
  card(id: number): { nickName: string; headImage: string } | undefined;
  /** The streams changed (read `local`, `remote`). */
  onStreams(): void;
}

export class PrivateCall<S> {
  local: S | null = null;
  remote: S | null = null;
  private pc: RtcPeer | null = null;
  private pendingOffer: RtcDescription | null = null;
  private candidates: RtcCandidate[] = [];
  private heartbeat: { stop(): void } | null = null;
  private noAnswer: TimerHandle = null;
  private ring: { stop(): void } | null = null;

  constructor(private readonly deps: PrivateCallDeps<S>) {}

  get state(): PrivateCallState {
    return this.deps.state;
  }

  async start(friendId: number, mode: CallMode): Promise<void> {
    if (this.state.state !== 'close') return;
    if (!this.deps.media.supported()) return this.deps.host.notify('unsupported');
    this.setPeer(friendId);
    Object.assign(this.state, { mode, isHost: true, state: 'waiting', startedAt: 0 });
    await this.openMedia();
    const pc = this.setupPeer();
    const offer = await pc.offer();
    try {
      await this.post('call', offer, { mode });
      this.startHeartbeat();
    } catch {
      this.close();
    }
  }

  async accept(): Promise<void> {
    const offer = this.pendingOffer;
    if (!offer) return;
    this.stopRinging();
    await this.openMedia();
    const pc = this.setupPeer();
    await pc.setRemote(offer);
    const answer = await pc.answer();
    this.state.state = 'chatting';
    this.state.startedAt = this.deps.host.clock.now();
    await this.post('accept', answer);
    this.flushCandidates();
  }

  async reject(): Promise<void> {
    await this.post('reject').catch(() => undefined);
    this.close();
  }

  async hangup(): Promise<void> {
    const action = this.state.state === 'chatting' ? 'handup' : this.state.isHost ? 'cancel' : 'reject';
    await this.post(action).catch(() => undefined);
    this.close();
  }

  close(message?: Parameters<RtcHost['notify']>[0]): void {
    if (message) this.deps.host.notify(message);
    this.stopRinging();
    this.heartbeat?.stop();
    this.heartbeat = null;
    this.pc?.close();
    this.pc = null;
    if (this.local) this.deps.media.stop(this.local);
    this.local = this.remote = null;
    this.deps.onStreams();
    this.pendingOffer = null;
    this.candidates = [];
    this.state.state = 'close';
  }

  /** A private frame of types 100–107 (the session routes them here). */
  async onSignal(vo: PrivateMessageVO): Promise<void> {
    const selfSend = vo.sendId === this.deps.host.me();
    const peer = selfSend ? vo.recvId : vo.sendId;
    if (vo.type === MessageType.RTC_CALL_VOICE || vo.type === MessageType.RTC_CALL_VIDEO) {
      if (selfSend || this.state.state !== 'close') return;
      this.setPeer(peer);
      Object.assign(this.state, {
        mode: vo.type === MessageType.RTC_CALL_VIDEO ? 'video' : 'voice',
        isHost: false,
        state: 'waiting',
        startedAt: 0,
      });
      this.pendingOffer = parseJson<RtcDescription>(vo.content);
      this.startHeartbeat();
      this.ring = this.deps.media.ring();
      this.noAnswer = this.deps.host.clock.setTimeout(() => {
        void this.post('failed', undefined, { reason: RTC_NO_ANSWER_REASON }).catch(() => undefined);
        this.close();
      }, RTC_NO_ANSWER_MS);
      return;
    }
    if (this.state.state === 'close' || peer !== this.state.peerId) return;
    switch (vo.type) {
      case MessageType.RTC_ACCEPT: {
        if (selfSend) return this.close('otherDeviceAccepted');
        const answer = parseJson<RtcDescription>(vo.content);
        if (!this.state.isHost || !this.pc || !answer) return;
        await this.pc.setRemote(answer);
        this.state.state = 'chatting';
        this.state.startedAt = this.deps.host.clock.now();
        this.flushCandidates();
        return;
      }
      case MessageType.RTC_REJECT:
        return this.close(selfSend ? 'otherDeviceRejected' : 'rejected');
      case MessageType.RTC_CANCEL:
        return this.close('canceled');
      case MessageType.RTC_FAILED:
        return this.close({ raw: vo.content });
      case MessageType.RTC_HANDUP:
        return this.close('hungUp');
      case MessageType.RTC_CANDIDATE: {
        const candidate = parseJson<RtcCandidate>(vo.content);
        if (this.pc && candidate) await this.pc.addCandidate(candidate).catch(() => undefined);
        return;
      }
      default:
        return;
    }
  }

  private post(action: string, body?: unknown, query: Record<string, string> = {}) {
    return this.deps.api.rtc(
      action,
      this.state.peerId,
      query,
      body === undefined ? undefined : JSON.stringify(body),
    );
  }

  private setPeer(id: number) {
    const card = this.deps.card(id);
    Object.assign(this.state, {
      peerId: id,
      peerName: card?.nickName ?? String(id),
      peerHead: card?.headImage ?? '',
    });
  }

  private async openMedia() {
    this.local = await this.deps.media.open(this.state.mode === 'video');
    this.deps.onStreams();
  }

  private setupPeer(): RtcPeer {
    this.pc = this.deps.media.peer(this.deps.host.iceServers(), this.local, {
      onStream: (s) => {
        this.remote = s;
        this.deps.onStreams();
      },
      onCandidate: (c) => {
        if (this.state.state === 'chatting') void this.post('candidate', c).catch(() => undefined);
        else this.candidates.push(c);
      },
    });
    return this.pc;
  }

  private flushCandidates() {
    for (const c of this.candidates) void this.post('candidate', c).catch(() => undefined);
    this.candidates = [];
  }

  private startHeartbeat() {
    this.heartbeat?.stop();
    this.heartbeat = every(this.deps.host.clock, RTC_HEARTBEAT_MS, () => {
      void this.post('heartbeat').catch(() => undefined);
    });
  }

  private stopRinging() {
    this.ring?.stop();
    this.ring = null;
    this.deps.host.clock.clearTimeout(this.noAnswer);
    this.noAnswer = null;
  }
}
