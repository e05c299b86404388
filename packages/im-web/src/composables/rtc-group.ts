/**
 * Group voice/video call (a WebRTC mesh: one RTCPeerConnection per other participant),
 * signalled through `/api/webrtc/group/*` and group frames of types 200–211. Of each pair,
 * the participant with the smaller id sends the offer, so two newcomers never offer to
 * each other at once.
 */
import { computed, reactive, shallowRef, triggerRef } from 'vue';
import { ElMessage } from 'element-plus';
import { MessageType, type GroupMessageVO, type WebrtcUserInfo } from '@box-im/im-common';
import { api } from '../api';
import { useConfigStore } from '../stores/config';
import { useUserStore } from '../stores/user';
import { onRtcGroup } from './session';
import { t } from '../i18n';

export interface CallUser extends WebrtcUserInfo {
  joined: boolean;
}

export const gcall = reactive({
  state: 'close' as 'close' | 'ringing' | 'chatting',
  groupId: 0,
  inviterId: 0,
  inviterName: '',
  hostId: 0,
  startedAt: 0,
  camera: true,
  mic: true,
  users: [] as CallUser[],
});
/** Remote streams by user id (re-rendered with `triggerRef`). */
export const streams = shallowRef(new Map<number, MediaStream>());
export const localStream = shallowRef<MediaStream | null>(null);
/** Bumped by every group call frame: chat boxes refresh their "join" banner. */
export const callEvents = reactive({ n: 0 });

const peers = new Map<number, RTCPeerConnection>();
const pendingCandidates = new Map<number, RTCIceCandidateInit[]>();
let heartbeat: ReturnType<typeof setInterval> | null = null;
let noAnswer: ReturnType<typeof setTimeout> | null = null;
let ring: { stop(): void } | null = null;

const me = () => useUserStore().id();
const post = (action: string, body?: Record<string, unknown>) => api.rtcGroup(action, gcall.groupId, body);
export const inCall = computed(() => gcall.state !== 'close');

function iceServers(): RTCIceServer[] {
  return useConfigStore().webrtc.iceServers.map((s) => {
    const out: RTCIceServer = { urls: s.urls };
    if (s.username) out.username = s.username;
    if (s.credential) out.credential = s.credential;
    return out;
  });
}

function supported(): boolean {
  return typeof RTCPeerConnection !== 'undefined' && Boolean(navigator.mediaDevices?.getUserMedia);
}

/** A two-tone ring from an oscillator, repeated until stopped (no audio file to ship). */
function startRing(): { stop(): void } {
  let ctx: AudioContext | null = null;
  try {
    ctx = new AudioContext();
  } catch {
    return { stop: () => undefined };
  }
  const beep = () => {
    if (!ctx) return;
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.frequency.value = 480;
    gain.gain.value = 0.08;
    osc.connect(gain).connect(ctx.destination);
    osc.start();
    osc.stop(ctx.currentTime + 0.8);
  };
  beep();
  const timer = setInterval(beep, 2000);
  return {
    stop: () => {
      clearInterval(timer);
      void ctx?.close().catch(() => undefined);
      ctx = null;
    },
  };
}

function stopRing() {
  ring?.stop();
  ring = null;
}

function user(id: number): CallUser | undefined {
  return gcall.users.find((u) => u.id === id);
}

function upsert(info: WebrtcUserInfo, joined: boolean) {
  const known = user(info.id);
  if (known) Object.assign(known, { ...info, joined: known.joined || joined });
  else gcall.users.push({ ...info, joined });
}

function removeUser(id: number) {
  gcall.users = gcall.users.filter((u) => u.id !== id);
  peers.get(id)?.close();
  peers.delete(id);
  pendingCandidates.delete(id);
  streams.value.delete(id);
  triggerRef(streams);
}

async function openMedia(video: boolean): Promise<void> {
  try {
    localStream.value = await navigator.mediaDevices.getUserMedia({
      video,
      audio: { echoCancellation: true, noiseSuppression: true },
    });
  } catch (e) {
    ElMessage.warning(String(e));
  }
  gcall.camera = Boolean(localStream.value?.getVideoTracks().length);
  gcall.mic = Boolean(localStream.value?.getAudioTracks().length);
}

/** The connection with `id`, created on first use; the smaller id offers. */
async function peer(id: number, offer: boolean): Promise<RTCPeerConnection> {
  let pc = peers.get(id);
  if (pc) return pc;
  pc = new RTCPeerConnection({ iceServers: iceServers() });
  peers.set(id, pc);
  localStream.value?.getTracks().forEach((tr) => pc.addTrack(tr, localStream.value!));
  pc.ontrack = (e) => {
    if (!e.streams[0]) return;
    streams.value.set(id, e.streams[0]);
    triggerRef(streams);
  };
  pc.onicecandidate = (e) => {
    if (e.candidate) void post('candidate', { userId: id, candidate: JSON.stringify(e.candidate.toJSON()) });
  };
  if (offer) {
    const desc = await pc.createOffer();
    await pc.setLocalDescription(desc);
    await post('offer', { userId: id, offer: JSON.stringify(desc) });
  }
  return pc;
}

/** Connect to every joined participant not yet connected. */
async function connectAll() {
  for (const u of gcall.users)
    if (u.joined && u.id !== me() && !peers.has(u.id)) await peer(u.id, me() < u.id);
}

async function flushCandidates(id: number) {
  const pc = peers.get(id);
  for (const c of pendingCandidates.get(id) ?? []) await pc?.addIceCandidate(c).catch(() => undefined);
  pendingCandidates.delete(id);
}

function startHeartbeat() {
  heartbeat = setInterval(() => void post('heartbeat').catch(() => undefined), 15_000);
}

function reset() {
  stopRing();
  if (heartbeat) clearInterval(heartbeat);
  if (noAnswer) clearTimeout(noAnswer);
  heartbeat = noAnswer = null;
  for (const pc of peers.values()) pc.close();
  peers.clear();
  pendingCandidates.clear();
  localStream.value?.getTracks().forEach((tr) => tr.stop());
  localStream.value = null;
  streams.value = new Map();
  Object.assign(gcall, { state: 'close', groupId: 0, users: [], startedAt: 0 });
  callEvents.n++;
}

/** Load who is in the call (after answering or joining). */
async function refresh() {
  const info = await api.rtcGroupInfo(gcall.groupId);
  if (!info?.isChating) return;
  gcall.hostId = info.host?.id ?? gcall.hostId;
  gcall.startedAt = info.startTime ?? gcall.startedAt;
  for (const u of info.userInfos) upsert(u, true);
  for (const u of info.invitedUserInfos) upsert(u, false);
}

async function enter(action: 'accept' | 'join' | 'setup', body?: Record<string, unknown>) {
  await openMedia(true);
  await post(action, body);
  if (!gcall.startedAt) gcall.startedAt = Date.now();
  gcall.state = 'chatting';
  if (action !== 'setup') startHeartbeat();
  await refresh();
  upsert({ ...myInfo(), isCamera: gcall.camera, isMicroPhone: gcall.mic }, true);
  await post('device', { isCamera: gcall.camera, isMicroPhone: gcall.mic }).catch(() => undefined);
  await connectAll();
}

function myInfo(): WebrtcUserInfo {
  const u = useUserStore();
  return {
    id: me(),
    nickName: u.user?.nickName ?? String(me()),
    headImage: u.user?.headImageThumb ?? '',
    isCamera: gcall.camera,
    isMicroPhone: gcall.mic,
  };
}

/** Start a call in a group with the members chosen (ids, me excluded). */
export async function startGroupCall(groupId: number, members: WebrtcUserInfo[]) {
  if (gcall.state !== 'close') return;
  if (!supported()) return void ElMessage.error(t('rtc.unsupported'));
  Object.assign(gcall, { groupId, hostId: me(), inviterId: me(), users: [], startedAt: 0 });
  for (const m of members) upsert(m, false);
  try {
    startHeartbeat();
    await enter('setup', { userInfos: [myInfo(), ...members] });
    callEvents.n++;
  } catch {
    reset();
  }
}

/** Join the call running in a group (from the chat's banner). */
export async function joinGroupCall(groupId: number) {
  if (gcall.state !== 'close') return;
  if (!supported()) return void ElMessage.error(t('rtc.unsupported'));
  Object.assign(gcall, { groupId, users: [], startedAt: 0 });
  try {
    await enter('join');
  } catch {
    reset();
  }
}

export async function acceptGroupCall() {
  stopRing();
  if (noAnswer) clearTimeout(noAnswer);
  if (heartbeat) clearInterval(heartbeat);
  try {
    await enter('accept');
  } catch {
    reset();
  }
}

export async function rejectGroupCall() {
  await post('reject').catch(() => undefined);
  reset();
}

export async function leaveGroupCall() {
  if (gcall.state === 'ringing') return rejectGroupCall();
  await post(gcall.hostId === me() ? 'cancel' : 'quit').catch(() => undefined);
  reset();
}

export async function inviteToGroupCall(members: WebrtcUserInfo[]) {
  if (members.length === 0) return;
  await post('invite', { userInfos: members });
  for (const m of members) upsert(m, false);
}

async function device() {
  const mine = user(me());
  if (mine) Object.assign(mine, { isCamera: gcall.camera, isMicroPhone: gcall.mic });
  await post('device', { isCamera: gcall.camera, isMicroPhone: gcall.mic }).catch(() => undefined);
}

export async function toggleCamera() {
  gcall.camera = !gcall.camera;
  localStream.value?.getVideoTracks().forEach((tr) => (tr.enabled = gcall.camera));
  await device();
}

export async function toggleMic() {
  gcall.mic = !gcall.mic;
  localStream.value?.getAudioTracks().forEach((tr) => (tr.enabled = gcall.mic));
  await device();
}

function parse<T>(text: string): T | null {
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
}

async function onSignal(vo: GroupMessageVO) {
  callEvents.n++;
  const selfSend = vo.sendId === me();
  if (vo.type === MessageType.RTC_GROUP_SETUP) {
    if (selfSend || gcall.state !== 'close') return;
    Object.assign(gcall, {
      state: 'ringing',
      groupId: vo.groupId,
      hostId: vo.sendId,
      inviterId: vo.sendId,
      inviterName: vo.sendNickName,
      users: [],
      startedAt: 0,
    });
    for (const u of parse<WebrtcUserInfo[]>(vo.content) ?? []) upsert(u, u.id === vo.sendId);
    ring = startRing();
    startHeartbeat();
    noAnswer = setTimeout(() => {
      void post('failed', { reason: '对方无应答' }).catch(() => undefined);
      reset();
    }, 30_000);
    return;
  }
  if (gcall.state === 'close' || vo.groupId !== gcall.groupId) return;
  const from = vo.sendId;
  const chatting = gcall.state === 'chatting';
  switch (vo.type) {
    case MessageType.RTC_GROUP_ACCEPT:
    case MessageType.RTC_GROUP_JOIN: {
      if (selfSend) return reset(); // answered on another device of mine
      const info = parse<WebrtcUserInfo>(vo.content);
      if (info) upsert(info, true);
      if (chatting) await connectAll();
      return;
    }
    case MessageType.RTC_GROUP_REJECT:
    case MessageType.RTC_GROUP_FAILED: {
      if (selfSend) return reset();
      const failed = parse<{ userIds: number[] }>(vo.content);
      for (const id of failed?.userIds ?? [from]) removeUser(id);
      return;
    }
    case MessageType.RTC_GROUP_CANCEL:
      if (gcall.state === 'ringing') {
        ElMessage.info(t('rtc.canceled'));
        reset();
      }
      return;
    case MessageType.RTC_GROUP_QUIT:
      removeUser(from);
      return;
    case MessageType.RTC_GROUP_INVITE:
      for (const u of parse<WebrtcUserInfo[]>(vo.content) ?? []) upsert(u, false);
      return;
    case MessageType.RTC_GROUP_DEVICE: {
      const info = parse<WebrtcUserInfo>(vo.content);
      if (info) upsert(info, true);
      return;
    }
    case MessageType.RTC_GROUP_OFFER: {
      if (!chatting) return;
      const pc = await peer(from, false);
      await pc.setRemoteDescription(parse<RTCSessionDescriptionInit>(vo.content)!);
      await flushCandidates(from);
      const answer = await pc.createAnswer();
      await pc.setLocalDescription(answer);
      await post('answer', { userId: from, answer: JSON.stringify(answer) });
      return;
    }
    case MessageType.RTC_GROUP_ANSWER: {
      const pc = peers.get(from);
      if (!pc) return;
      await pc.setRemoteDescription(parse<RTCSessionDescriptionInit>(vo.content)!);
      await flushCandidates(from);
      return;
    }
    case MessageType.RTC_GROUP_CANDIDATE: {
      const candidate = parse<RTCIceCandidateInit>(vo.content);
      if (!candidate) return;
      const pc = peers.get(from);
      if (pc?.remoteDescription) await pc.addIceCandidate(candidate).catch(() => undefined);
      else pendingCandidates.set(from, [...(pendingCandidates.get(from) ?? []), candidate]);
      return;
    }
    default:
      return;
  }
}

onRtcGroup((vo) => void onSignal(vo));
window.addEventListener('beforeunload', () => {
  if (gcall.state !== 'close') void leaveGroupCall();
});
