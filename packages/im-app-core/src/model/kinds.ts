/** Message type ranges (see `MessageType` in im-common) and media content parsing. */
import type { AudioContent, FileContent, ImageContent, VideoContent } from '@box-im/im-common';

/** 0–9: what users send (text, image, file, audio, video). */
export const isNormal = (type: number): boolean => type >= 0 && type < 10;
/** 10–19: recall, read, receipt notices. */
export const isStatus = (type: number): boolean => type >= 10 && type < 20;
/** 20–29: time and text tips. */
export const isTip = (type: number): boolean => type >= 20 && type < 30;
/** 40–49: call records. */
export const isAction = (type: number): boolean => type >= 40 && type < 50;
/** 100–199: private WebRTC signalling. */
export const isRtcPrivate = (type: number): boolean => type >= 100 && type < 200;
/** 200–299: group WebRTC signalling. */
export const isRtcGroup = (type: number): boolean => type >= 200 && type < 300;
/** 60: a merged forward (chat record). */
export const isRecord = (type: number): boolean => type === 60;
/** Types that show up in the message list. */
export const isShown = (type: number): boolean =>
  isNormal(type) || isTip(type) || isAction(type) || isRecord(type);

export function parseJson<T>(content: string): T | null {
  try {
    return JSON.parse(content) as T;
  } catch {
    return null;
  }
}
export const parseImage = (content: string) => parseJson<ImageContent>(content);
export const parseFile = (content: string) => parseJson<FileContent>(content);
export const parseAudio = (content: string) => parseJson<AudioContent>(content);
export const parseVideo = (content: string) => parseJson<VideoContent>(content);
