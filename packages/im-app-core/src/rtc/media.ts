/**
 * What a host gives the call state machines: camera/microphone, peer connections and a ring,
 * behind small interfaces (the core has no DOM). Browsers (im-web, uni-app H5, the native app's
 * webview page) use `browserRtcMedia` from `@box-im/im-app-core/browser`.
 */
import type { SystemConfigVO } from '@box-im/im-common';
import type { Clock, TimerHandle } from '../platform';

export type IceServerConfig = SystemConfigVO['webrtc']['iceServers'][number];

/** A session description as JSON (`RTCSessionDescriptionInit`). */
export interface RtcDescription {
  type: string;
  sdp?: string;
}

/** An ICE candidate as JSON (`RTCIceCandidateInit`). */
export type RtcCandidate = Record<string, unknown>;

/** One peer connection; offer/answer also set the local description. */
export interface RtcPeer {
  offer(): Promise<RtcDescription>;
  answer(): Promise<RtcDescription>;
  setRemote(desc: RtcDescription): Promise<void>;
  hasRemote(): boolean;
  addCandidate(candidate: RtcCandidate): Promise<void>;
  close(): void;
}

export interface RtcPeerEvents<S> {
  /** The other side's stream arrived (or changed). */
  onStream(stream: S): void;
  /** A local ICE candidate to signal to the other side. */
  onCandidate(candidate: RtcCandidate): void;
}

/** Media of one platform; `S` is its stream type (`MediaStream` in browsers). */
export interface RtcMedia<S> {
  supported(): boolean;
  /** Microphone, and camera when `video`; null when refused or absent (the host tells the user). */
  open(video: boolean): Promise<S | null>;
  hasTrack(stream: S, kind: 'audio' | 'video'): boolean;
  enable(stream: S, kind: 'audio' | 'video', on: boolean): void;
  stop(stream: S): void;
  peer(iceServers: IceServerConfig[], local: S | null, events: RtcPeerEvents<S>): RtcPeer;
  /** Start the incoming-call ring; the handle stops it. */
  ring(): { stop(): void };
}

/** Messages the state machines show; the host translates them. */
export type RtcText =
  'unsupported' | 'canceled' | 'rejected' | 'hungUp' | 'otherDeviceAccepted' | 'otherDeviceRejected';

/** The client around a call: who I am, ICE servers, how to tell the user something. */
export interface RtcHost {
  me(): number;
  myCard(): { nickName: string; headImage: string };
  iceServers(): IceServerConfig[];
  /** A short notice (toast); `text` is a key to translate, or a server message as it is. */
  notify(text: RtcText | { raw: string }): void;
  clock: Clock;
}

/** Seconds between heartbeats of a call in progress (the server drops a silent user after 60 s). */
export const RTC_HEARTBEAT_MS = 15_000;
/** An incoming call nobody answers fails after this long. */
export const RTC_NO_ANSWER_MS = 30_000;
/** Reason sent with `failed` when the callee did not answer (box-im's wording). */
export const RTC_NO_ANSWER_REASON = '对方无应答';

/** A repeating timer on the host's one-shot clock. */
export function every(clock: Clock, ms: number, fn: () => void): { stop(): void } {
  let handle: TimerHandle = null;
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    fn();
    handle = clock.setTimeout(tick, ms);
  };
  handle = clock.setTimeout(tick, ms);
  return {
    stop: () => {
      stopped = true;
      clock.clearTimeout(handle);
    },
  };
}
