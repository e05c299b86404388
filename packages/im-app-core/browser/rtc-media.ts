/**
 * `RtcMedia` for browsers: getUserMedia, RTCPeerConnection and a ring from an oscillator (no
 * audio file to ship). Used by im-web, uni-app H5 and the native app's webview call page.
 * Kept apart from `src` because the core proper is checked without the DOM library.
 */
import type { IceServerConfig, RtcMedia, RtcPeer, RtcPeerEvents } from '../src/rtc/media';

function toIce(servers: IceServerConfig[]): RTCIceServer[] {
  return servers.map((s) => {
    const out: RTCIceServer = { urls: s.urls };
    if (s.username) out.username = s.username;
    if (s.credential) out.credential = s.credential;
    return out;
  });
}

function browserPeer(
  iceServers: IceServerConfig[],
  local: MediaStream | null,
  events: RtcPeerEvents<MediaStream>,
): RtcPeer {
  const pc = new RTCPeerConnection({ iceServers: toIce(iceServers) });
  local?.getTracks().forEach((track) => pc.addTrack(track, local));
  pc.ontrack = (e) => {
    if (e.streams[0]) events.onStream(e.streams[0]);
  };
  pc.onicecandidate = (e) => {
    if (e.candidate) events.onCandidate(e.candidate.toJSON() as Record<string, unknown>);
  };
  return {
    offer: async () => {
      const desc = await pc.createOffer();
      await pc.setLocalDescription(desc);
      return desc;
    },
    answer: async () => {
      const desc = await pc.createAnswer();
      await pc.setLocalDescription(desc);
      return desc;
    },
    setRemote: (desc) => pc.setRemoteDescription(desc as RTCSessionDescriptionInit),
    hasRemote: () => pc.remoteDescription !== null,
    addCandidate: (c) => pc.addIceCandidate(c),
    close: () => pc.close(),
  };
}

/** A two-tone ring repeated until stopped. */
function ring(): { stop(): void } {
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

/** `onRefused` tells the user why there is no camera or microphone (the call goes on without). */
export function browserRtcMedia(onRefused: (error: unknown) => void): RtcMedia<MediaStream> {
  return {
    supported: () =>
      typeof RTCPeerConnection !== 'undefined' &&
      typeof navigator !== 'undefined' &&
      Boolean(navigator.mediaDevices && 'getUserMedia' in navigator.mediaDevices),
    open: async (video) => {
      try {
        return await navigator.mediaDevices.getUserMedia({
          video,
          audio: { echoCancellation: true, noiseSuppression: true },
        });
      } catch (e) {
        onRefused(e);
        return null;
      }
    },
    hasTrack: (s, kind) => s.getTracks().some((t) => t.kind === kind),
    enable: (s, kind, on) =>
      s.getTracks().forEach((t) => {
        if (t.kind === kind) t.enabled = on;
      }),
    stop: (s) => s.getTracks().forEach((t) => t.stop()),
    peer: browserPeer,
    ring,
  };
}
