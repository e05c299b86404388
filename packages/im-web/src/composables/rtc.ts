/** 1:1 voice/video call over WebRTC, signalled through `/api/webrtc/private/*` and WS types 100–107. */
import { reactive, shallowRef } from 'vue';
import { ElMessage } from 'element-plus';
import { MessageType, type PrivateMessageVO } from '@box-im/im-common';
import { api } from '../api';
import { useConfigStore } from '../stores/config';
import { useFriendStore } from '../stores/friend';
import { useUserStore } from '../stores/user';
import { onRtc } from './session';
import { t } from '../i18n';

export type CallMode = 'voice' | 'video';
export const call = reactive({
  state: 'close' as 'close' | 'waiting' | 'chatting',
  mode: 'video' as CallMode,
  isHost: false,
  peerId: 0,
  peerName: '',
  peerHead: '',
  startedAt: 0,
});
export const localStream = shallowRef<MediaStream | null>(null);
export const remoteStream = shallowRef<MediaStream | null>(null);

let pc: RTCPeerConnection | null = null;
let pendingOffer: RTCSessionDescriptionInit | null = null;
let candidates: RTCIceCandidateInit[] = [];
let heartbeat: ReturnType<typeof setInterval> | null = null;
let noAnswer: ReturnType<typeof setTimeout> | null = null;

const post = (action: string, body?: unknown, query: Record<string, string> = {}) =>
  api.rtc(action, call.peerId, query, body === undefined ? undefined : JSON.stringify(body));

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

async function openMedia(): Promise<void> {
  try {
    localStream.value = await navigator.mediaDevices.getUserMedia({
      video: call.mode === 'video',
      audio: { echoCancellation: true, noiseSuppression: true },
    });
  } catch (e) {
    ElMessage.warning(String(e));
  }
}

function setupPeer() {
  pc = new RTCPeerConnection({ iceServers: iceServers() });
  localStream.value?.getTracks().forEach((tr) => pc!.addTrack(tr, localStream.value!));
  pc.ontrack = (e) => (remoteStream.value = e.streams[0] ?? null);
  pc.onicecandidate = (e) => {
    if (!e.candidate) return;
    if (call.state === 'chatting') void post('candidate', e.candidate.toJSON()).catch(() => undefined);
    else candidates.push(e.candidate.toJSON());
  };
}

function flushCandidates() {
  for (const c of candidates) void post('candidate', c).catch(() => undefined);
  candidates = [];
}

function startHeartbeat() {
  heartbeat = setInterval(() => void post('heartbeat').catch(() => undefined), 15_000);
}

export function closeCall(message?: string) {
  if (message) ElMessage.info(message);
  if (heartbeat) clearInterval(heartbeat);
  if (noAnswer) clearTimeout(noAnswer);
  heartbeat = noAnswer = null;
  pc?.close();
  pc = null;
  localStream.value?.getTracks().forEach((tr) => tr.stop());
  localStream.value = null;
  remoteStream.value = null;
  pendingOffer = null;
  candidates = [];
  call.state = 'close';
}

function setPeer(id: number) {
  const f = useFriendStore().find(id);
  call.peerId = id;
  call.peerName = f?.nickName ?? String(id);
  call.peerHead = f?.headImage ?? '';
}

export async function startCall(friendId: number, mode: CallMode) {
  if (call.state !== 'close') return;
  if (!supported()) return void ElMessage.error(t('rtc.unsupported'));
  setPeer(friendId);
  Object.assign(call, { mode, isHost: true, state: 'waiting', startedAt: 0 });
  await openMedia();
  setupPeer();
  const offer = await pc!.createOffer();
  await pc!.setLocalDescription(offer);
  try {
    await post('call', offer, { mode });
    startHeartbeat();
  } catch {
    closeCall();
  }
}

export async function accept() {
  if (!pendingOffer) return;
  await openMedia();
  setupPeer();
  await pc!.setRemoteDescription(pendingOffer);
  const answer = await pc!.createAnswer();
  await pc!.setLocalDescription(answer);
  if (noAnswer) clearTimeout(noAnswer);
  call.state = 'chatting';
  call.startedAt = Date.now();
  await post('accept', answer);
  flushCandidates();
}

export async function reject() {
  await post('reject').catch(() => undefined);
  closeCall();
}

export async function hangup() {
  if (call.state === 'chatting') await post('handup').catch(() => undefined);
  else if (call.isHost) await post('cancel').catch(() => undefined);
  else await post('reject').catch(() => undefined);
  closeCall();
}

async function onSignal(vo: PrivateMessageVO) {
  const selfSend = vo.sendId === useUserStore().id();
  const peer = selfSend ? vo.recvId : vo.sendId;
  if (vo.type === MessageType.RTC_CALL_VOICE || vo.type === MessageType.RTC_CALL_VIDEO) {
    if (selfSend || call.state !== 'close') return;
    setPeer(peer);
    Object.assign(call, {
      mode: vo.type === MessageType.RTC_CALL_VIDEO ? 'video' : 'voice',
      isHost: false,
      state: 'waiting',
      startedAt: 0,
    });
    pendingOffer = JSON.parse(vo.content) as RTCSessionDescriptionInit;
    startHeartbeat();
    noAnswer = setTimeout(() => {
      void post('failed', undefined, { reason: '对方无应答' }).catch(() => undefined);
      closeCall();
    }, 30_000);
    return;
  }
  if (call.state === 'close' || peer !== call.peerId) return;
  switch (vo.type) {
    case MessageType.RTC_ACCEPT:
      if (selfSend) return closeCall(t('rtc.otherDeviceAccepted'));
      if (!call.isHost || !pc) return;
      await pc.setRemoteDescription(JSON.parse(vo.content) as RTCSessionDescriptionInit);
      call.state = 'chatting';
      call.startedAt = Date.now();
      flushCandidates();
      return;
    case MessageType.RTC_REJECT:
      return closeCall(selfSend ? t('rtc.otherDeviceRejected') : t('rtc.rejected'));
    case MessageType.RTC_CANCEL:
      return closeCall(t('rtc.canceled'));
    case MessageType.RTC_FAILED:
      return closeCall(vo.content);
    case MessageType.RTC_HANDUP:
      return closeCall(t('rtc.hungUp'));
    case MessageType.RTC_CANDIDATE:
      if (pc) await pc.addIceCandidate(JSON.parse(vo.content) as RTCIceCandidateInit).catch(() => undefined);
      return;
    default:
      return;
  }
}

onRtc((vo) => void onSignal(vo));
