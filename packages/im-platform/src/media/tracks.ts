import { probeMp4 } from './mp4';
import type { Sniffed } from './sniff';
import { webmTrackKinds } from './webm';

const AUDIO_WEBM: Sniffed = { kind: 'audio', ext: 'weba', mime: 'audio/webm' };
const AUDIO_MP4: Sniffed = { kind: 'audio', ext: 'm4a', mime: 'audio/mp4' };

/**
 * WebM/Matroska and MP4/MOV are containers for audio as well as video. A voice message
 * recorded by a browser (MediaRecorder: WebM with one Opus track) or a phone (MP4 with one
 * AAC track) has no picture, so it is stored and served as audio (`audio/webm`,
 * `audio/mp4`): players show an audio control rather than an empty video frame. A
 * container with a video track, or whose tracks cannot be read, keeps its video type.
 */
export async function byTracks(sniffed: Sniffed, path: string, size: number): Promise<Sniffed> {
  if (sniffed.ext === 'webm') {
    const kinds = await webmTrackKinds(path).catch((): string[] => []);
    return kinds.includes('audio') && !kinds.includes('video') ? AUDIO_WEBM : sniffed;
  }
  if (sniffed.ext === 'mp4' || sniffed.ext === 'mov') {
    const tracks = (await probeMp4(path, size)).tracks ?? [];
    return tracks.includes('soun') && !tracks.includes('vide') ? AUDIO_MP4 : sniffed;
  }
  return sniffed;
}
