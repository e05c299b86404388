/**
 * Group voice/video call (a WebRTC mesh: one peer connection per other participant),
 * signalled through `/api/webrtc/group/*` and group frames of types 200–211. Of each pair,
 * the participant with the smaller id sends the offer, so two newcomers never offer to each
 * other at once. Framework-free like `PrivateCall`: the host passes the state object and
 * reads `local`/`streams` when `onStreams` fires.
 */
import type { GroupMessageVO, WebrtcUserInfo } from '@box-im/im-common';
import type { ImApi } from '../http/api';
import type { TimerHandle } from '../platform';
import { GroupCallMesh } from './group-mesh';
import {
  every,
  RTC_HEARTBEAT_MS,
  RTC_NO_ANSWER_MS,
  RTC_NO_ANSWER_REASON,
  type RtcHost,
  type RtcMedia,
} from './media';
import { onGroupSignal } from './group-signal';

export interface CallUser extends WebrtcUserInfo {
  joined: boolean;
}

export interface GroupCallState {
  state: 'close' | 'ringing' | 'chatting';
  groupId: number;
  inviterId: number;
  inviterName: string;
  hostId: number;
  startedAt: number;
  camera: boolean;
  mic: boolean;
  users: CallUser[];
  /** Bumped by every group call frame: chat pages refresh their "join" banner. */
  events: number;
}

export const groupCallState = (): GroupCallState => ({
  state: 'close',
  groupId: 0,
  inviterId: 0,
  inviterName: '',
  hostId: 0,
  startedAt: 0,
  camera: true,
  mic: true,
  users: [],
  events: 0,
});

export interface GroupCallDeps<S> {
  api: Pick<ImApi, 'rtcGroup' | 'rtcGroupInfo'>;
  media: RtcMedia<S>;
  host: RtcHost;
  state: GroupCallState;
  /** The streams changed (read `local`, `streams`). */
  onStreams(): void;
}

export class GroupCall<S> {
  local: S | null = null;
  /** Remote streams by user id. */
  readonly streams = new Map<number, S>();
  /** @internal the connections, used by the signal handler. */
  readonly mesh: GroupCallMesh<S>;
  private heartbeat: { stop(): void } | null = null;
  private noAnswer: TimerHandle = null;
  private ringing: { stop(): void } | null = null;

  constructor(readonly deps: GroupCallDeps<S>) {
    this.mesh = new GroupCallMesh(this);
  }

  get state(): GroupCallState {
    return this.deps.state;
  }

  me(): number {
    return this.deps.host.me();
  }

  post(action: string, body?: Record<string, unknown>): Promise<unknown> {
    return this.deps.api.rtcGroup(action, this.state.groupId, body);
  }

  /** Start a call in a group with the members chosen (me excluded). */
  async start(groupId: number, members: WebrtcUserInfo[]): Promise<void> {
    if (this.state.state !== 'close') return;
    if (!this.deps.media.supported()) return this.deps.host.notify('unsupported');
    Object.assign(this.state, { groupId, hostId: this.me(), inviterId: this.me(), users: [], startedAt: 0 });
    for (const m of members) this.upsert(m, false);
    try {
      this.startHeartbeat();
      await this.enter('setup', { userInfos: [this.myInfo(), ...members] });
      this.state.events++;
    } catch {
      this.reset();
    }
  }

  /** Join the call running in a group (from the chat's banner). */
  async join(groupId: number): Promise<void> {
    if (this.state.state !== 'close') return;
    if (!this.deps.media.supported()) return this.deps.host.notify('unsupported');
    Object.assign(this.state, { groupId, users: [], startedAt: 0 });
    try {
      await this.enter('join');
    } catch {
      this.reset();
    }
  }

  async accept(): Promise<void> {
    this.stopRinging();
    this.heartbeat?.stop();
    try {
      await this.enter('accept');
    } catch {
      this.reset();
    }
  }

  async reject(): Promise<void> {
    await this.post('reject').catch(() => undefined);
    this.reset();
  }

  async leave(): Promise<void> {
    if (this.state.state === 'ringing') return this.reject();
    await this.post(this.state.hostId === this.me() ? 'cancel' : 'quit').catch(() => undefined);
    this.reset();
  }

  async invite(members: WebrtcUserInfo[]): Promise<void> {
    if (members.length === 0) return;
    await this.post('invite', { userInfos: members });
    for (const m of members) this.upsert(m, false);
  }

  async toggleCamera(): Promise<void> {
    this.state.camera = !this.state.camera;
    if (this.local) this.deps.media.enable(this.local, 'video', this.state.camera);
    await this.device();
  }

  async toggleMic(): Promise<void> {
    this.state.mic = !this.state.mic;
    if (this.local) this.deps.media.enable(this.local, 'audio', this.state.mic);
    await this.device();
  }

  /** A group frame of types 200–211 (the session routes them here). */
  onSignal(vo: GroupMessageVO): Promise<void> {
    return onGroupSignal(this, vo);
  }

  /** An invitation arrived: ring until answered, fail it after a while. */
  ring(): void {
    this.ringing = this.deps.media.ring();
    this.startHeartbeat();
    this.noAnswer = this.deps.host.clock.setTimeout(() => {
      void this.post('failed', { reason: RTC_NO_ANSWER_REASON }).catch(() => undefined);
      this.reset();
    }, RTC_NO_ANSWER_MS);
  }

  user(id: number): CallUser | undefined {
    return this.state.users.find((u) => u.id === id);
  }

  upsert(info: WebrtcUserInfo, joined: boolean): void {
    const known = this.user(info.id);
    if (known) Object.assign(known, { ...info, joined: known.joined || joined });
    else this.state.users.push({ ...info, joined });
  }

  removeUser(id: number): void {
    this.state.users = this.state.users.filter((u) => u.id !== id);
    this.mesh.drop(id);
    this.streams.delete(id);
    this.deps.onStreams();
  }

  reset(): void {
    this.stopRinging();
    this.heartbeat?.stop();
    this.heartbeat = null;
    this.mesh.closeAll();
    if (this.local) this.deps.media.stop(this.local);
    this.local = null;
    this.streams.clear();
    this.deps.onStreams();
    Object.assign(this.state, { state: 'close', groupId: 0, users: [], startedAt: 0 });
    this.state.events++;
  }

  private stopRinging() {
    this.ringing?.stop();
    this.ringing = null;
    this.deps.host.clock.clearTimeout(this.noAnswer);
    this.noAnswer = null;
  }

  private startHeartbeat() {
    this.heartbeat?.stop();
    this.heartbeat = every(this.deps.host.clock, RTC_HEARTBEAT_MS, () => {
      void this.post('heartbeat').catch(() => undefined);
    });
  }

  private myInfo(): WebrtcUserInfo {
    const card = this.deps.host.myCard();
    return { id: this.me(), ...card, isCamera: this.state.camera, isMicroPhone: this.state.mic };
  }

  private async openMedia(): Promise<void> {
    this.local = await this.deps.media.open(true);
    this.state.camera = Boolean(this.local && this.deps.media.hasTrack(this.local, 'video'));
    this.state.mic = Boolean(this.local && this.deps.media.hasTrack(this.local, 'audio'));
    this.deps.onStreams();
  }

  /** Load who is in the call (after answering or joining). */
  private async refresh() {
    const info = await this.deps.api.rtcGroupInfo(this.state.groupId);
    if (!info?.isChating) return;
    this.state.hostId = info.host?.id ?? this.state.hostId;
    this.state.startedAt = info.startTime ?? this.state.startedAt;
    for (const u of info.userInfos) this.upsert(u, true);
    for (const u of info.invitedUserInfos) this.upsert(u, false);
  }

  private async enter(action: 'accept' | 'join' | 'setup', body?: Record<string, unknown>) {
    await this.openMedia();
    // In the call before the request returns: the server tells the others at once, and their
    // offers may arrive before the response does (they would be dropped while ringing).
    this.state.state = 'chatting';
    await this.post(action, body);
    if (!this.state.startedAt) this.state.startedAt = this.deps.host.clock.now();
    if (action !== 'setup') this.startHeartbeat();
    await this.refresh();
    this.upsert(this.myInfo(), true);
    await this.post('device', { isCamera: this.state.camera, isMicroPhone: this.state.mic }).catch(
      () => undefined,
    );
    await this.mesh.connectAll();
  }

  private async device() {
    const mine = this.user(this.me());
    if (mine) Object.assign(mine, { isCamera: this.state.camera, isMicroPhone: this.state.mic });
    await this.post('device', { isCamera: this.state.camera, isMicroPhone: this.state.mic }).catch(
      () => undefined,
    );
  }
}
