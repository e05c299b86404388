/** 1:1 voice/video call: the client core's `PrivateCall` with Vue state and im-web's host. */
import { reactive, shallowRef } from 'vue';
import { PrivateCall, privateCallState, type CallMode } from '@box-im/im-app-core';
import { api } from '../api';
import { useFriendStore } from '../stores/friend';
import { rtcHost, rtcMedia } from './rtc-host';
import { onRtc } from './session';

export type { CallMode };
export const call = reactive(privateCallState());
export const localStream = shallowRef<MediaStream | null>(null);
export const remoteStream = shallowRef<MediaStream | null>(null);

const machine = new PrivateCall<MediaStream>({
  api,
  media: rtcMedia,
  host: rtcHost,
  state: call,
  card: (id) => useFriendStore().find(id),
  onStreams: () => {
    localStream.value = machine.local;
    remoteStream.value = machine.remote;
  },
});

export const startCall = (friendId: number, mode: CallMode) => machine.start(friendId, mode);
export const accept = () => machine.accept();
export const reject = () => machine.reject();
export const hangup = () => machine.hangup();
export const closeCall = () => machine.close();

onRtc((vo) => void machine.onSignal(vo));
