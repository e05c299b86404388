/** Pure helpers to describe messages: list previews, content parsing, type checks. */
import {
  MessageType,
  MessageStatus,
  type ImageContent,
  type FileContent,
  type AudioContent,
  type VideoContent,
} from '@box-im/im-common';
import { t } from '../i18n';
import type { ChatMessage } from './types';

export const isNormal = (type: number) => type >= 0 && type < 10;
export const isStatus = (type: number) => type >= 10 && type < 20;
export const isTip = (type: number) => type >= 20 && type < 30;
export const isAction = (type: number) => type >= 40 && type < 50;
/** Types that show up in the message list. */
export const isShown = (type: number) => isNormal(type) || isTip(type) || isAction(type);

export function parseJson<T>(content: string): T | null {
  try {
    return JSON.parse(content) as T;
  } catch {
    return null;
  }
}
export const parseImage = (c: string) => parseJson<ImageContent>(c);
export const parseFile = (c: string) => parseJson<FileContent>(c);
export const parseAudio = (c: string) => parseJson<AudioContent>(c);
export const parseVideo = (c: string) => parseJson<VideoContent>(c);

/** One-line preview of a message for the chat list. */
export function summary(m: ChatMessage): string {
  if (m.status === MessageStatus.RECALL) {
    return m.selfSend ? t('msg.recalledSelf') : t('msg.recalledOther', { name: m.sendNickName ?? '' });
  }
  switch (m.type) {
    case MessageType.IMAGE:
      return t('msg.image');
    case MessageType.FILE:
      return t('msg.file');
    case MessageType.AUDIO:
      return t('msg.audio');
    case MessageType.VIDEO:
      return t('msg.video');
    case MessageType.ACT_RT_VOICE:
      return t('msg.voiceCall');
    case MessageType.ACT_RT_VIDEO:
      return t('msg.videoCall');
    default:
      return m.content;
  }
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Compact time: HH:mm today, "yesterday", M/D this year, Y/M/D before. */
export function formatTime(ms: number, now: number = Date.now()): string {
  if (!ms) return '';
  const d = new Date(ms);
  const n = new Date(now);
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  if (d.toDateString() === n.toDateString()) return hm;
  const y = new Date(now - 86_400_000);
  if (d.toDateString() === y.toDateString()) return `${t('time.yesterday')} ${hm}`;
  if (d.getFullYear() === n.getFullYear()) return `${d.getMonth() + 1}/${d.getDate()} ${hm}`;
  return `${d.getFullYear()}/${d.getMonth() + 1}/${d.getDate()}`;
}
