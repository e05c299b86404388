/** Group voice/video call: the client core's `GroupCall` with Vue state and im-web's host. */
import { computed, reactive, shallowRef } from 'vue';
import { GroupCall, groupCallState, type CallUser } from '@box-im/im-app-core';
import type { WebrtcUserInfo } from '@box-im/im-common';
import { api } from '../api';
import { rtcHost, rtcMedia } from './rtc-host';
import { onRtcGroup } from './session';

export type { CallUser };
export const gcall = reactive(groupCallState());
/** Remote streams by user id (a new Map on every change). */
export const streams = shallowRef(new Map<number, MediaStream>());
export const localStream = shallowRef<MediaStream | null>(null);
export const inCall = computed(() => gcall.state !== 'close');

const machine = new GroupCall<MediaStream>({
  api,
  media: rtcMedia,
  host: rtcHost,
  state: gcall,
  onStreams: () => {
    localStream.value = machine.local;
    streams.value = new Map(machine.streams);
  },
});

export const startGroupCall = (groupId: number, members: WebrtcUserInfo[]) => machine.start(groupId, members);
export const joinGroupCall = (groupId: number) => machine.join(groupId);
export const acceptGroupCall = () => machine.accept();
export const rejectGroupCall = () => machine.reject();
export const leaveGroupCall = () => machine.leave();
export const inviteToGroupCall = (members: WebrtcUserInfo[]) => machine.invite(members);
export const toggleCamera = () => machine.toggleCamera();
export const toggleMic = () => machine.toggleMic();

onRtcGroup((vo) => void machine.onSignal(vo));
window.addEventListener('beforeunload', () => {
  if (gcall.state !== 'close') void leaveGroupCall();
});
