/**
 * Sending from the chat page through the core's outbox: text at once; images, files, videos
 * and voice show at once with a local preview, upload (with the access token), then send.
 */
import type { Chat, SendExtras } from '@box-im/im-app-core';
import { Limits, MessageType } from '@box-im/im-common';
import { api } from './api';
import { t } from './i18n';
import { outbox } from './session';

export interface PickedFile {
  path: string;
  name: string;
  size: number;
}

function tooLarge(size: number, max = Limits.UPLOAD_MAX_BYTES): boolean {
  if (size <= max) return false;
  uni.showToast({ title: t('chat.tooLarge', { n: Math.round(max / 1024 / 1024) }), icon: 'none' });
  return true;
}

const imageInfo = (src: string) =>
  new Promise<{ width: number; height: number }>((resolve) => {
    uni.getImageInfo({
      src,
      success: (r) => resolve({ width: r.width, height: r.height }),
      fail: () => resolve({ width: 0, height: 0 }),
    });
  });

export function sendText(chat: Chat, text: string, extras: SendExtras = {}) {
  return outbox().send(chat, MessageType.TEXT, text, extras);
}

export function sendImage(chat: Chat, f: PickedFile) {
  if (tooLarge(f.size)) return Promise.resolve();
  const placeholder = JSON.stringify({ originUrl: f.path, thumbUrl: f.path, width: 0, height: 0 });
  return outbox().sendUpload(chat, MessageType.IMAGE, placeholder, f.path, async () => {
    const [vo, size] = await Promise.all([api.uploadImage(f.path, f.name), imageInfo(f.path)]);
    return JSON.stringify({
      originUrl: vo.originUrl,
      thumbUrl: vo.thumbUrl || vo.originUrl,
      width: vo.width || size.width,
      height: vo.height || size.height,
    });
  });
}

export function sendFile(chat: Chat, f: PickedFile) {
  if (tooLarge(f.size)) return Promise.resolve();
  const placeholder = JSON.stringify({ name: f.name, size: f.size, url: '' });
  return outbox().sendUpload(chat, MessageType.FILE, placeholder, undefined, async () => {
    const url = await api.uploadFile(f.path, f.name);
    return JSON.stringify({ name: f.name, size: f.size, url });
  });
}

export interface PickedVideo extends PickedFile {
  duration?: number;
  width?: number;
  height?: number;
}

export function sendVideo(chat: Chat, f: PickedVideo) {
  if (tooLarge(f.size, 100 * 1024 * 1024)) return Promise.resolve();
  const placeholder = JSON.stringify({ videoUrl: f.path, coverUrl: null, name: f.name, size: f.size });
  return outbox().sendUpload(chat, MessageType.VIDEO, placeholder, f.path, async () => {
    const vo = await api.uploadVideo(f.path, f.name, null, f);
    return JSON.stringify({
      videoUrl: vo.videoUrl,
      coverUrl: vo.coverUrl ?? null,
      duration: vo.duration ?? f.duration ?? null,
      width: vo.width ?? f.width ?? null,
      height: vo.height ?? f.height ?? null,
      name: f.name,
      size: f.size,
    });
  });
}

/** A recorded voice message: `path` is a temp file (app, mini-program) or a blob URL (H5). */
export function sendVoice(chat: Chat, path: string, fileName: string, duration: number) {
  const placeholder = JSON.stringify({ duration, url: path });
  return outbox().sendUpload(chat, MessageType.AUDIO, placeholder, path, async () => {
    const url = await api.uploadFile(path, fileName);
    return JSON.stringify({ duration, url });
  });
}
