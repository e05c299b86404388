/** Turn picked / pasted / dropped files into image, video or file messages. */
import { ElMessage } from 'element-plus';
import { Limits, MessageType } from '@box-im/im-common';
import { api } from '../api';
import { t } from '../i18n';
import type { Chat } from '@box-im/im-app-core';
import { sendUpload } from './send';

/** Our server's default video limit (VIDEO_MAX_BYTES). */
const VIDEO_MAX_BYTES = 100 * 1024 * 1024;
const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'image/bmp'];

function imageSize(url: string): Promise<{ width: number; height: number }> {
  return new Promise((resolve) => {
    const img = new Image();
    img.onload = () => resolve({ width: img.naturalWidth, height: img.naturalHeight });
    img.onerror = () => resolve({ width: 0, height: 0 });
    img.src = url;
  });
}

export function sendImage(chat: Chat, file: File) {
  const local = URL.createObjectURL(file);
  return sendUpload(
    chat,
    MessageType.IMAGE,
    JSON.stringify({ originUrl: local, thumbUrl: local, width: 0, height: 0 }),
    local,
    async () => {
      const [vo, size] = await Promise.all([api.uploadImage(file, file.name), imageSize(local)]);
      return JSON.stringify({
        originUrl: vo.originUrl,
        thumbUrl: vo.thumbUrl || vo.originUrl,
        width: vo.width || size.width,
        height: vo.height || size.height,
      });
    },
  );
}

export function sendFile(chat: Chat, file: File) {
  return sendUpload(
    chat,
    MessageType.FILE,
    JSON.stringify({ name: file.name, size: file.size, url: '' }),
    undefined,
    async () => {
      const url = await api.uploadFile(file, file.name);
      return JSON.stringify({ name: file.name, size: file.size, url });
    },
  );
}

interface VideoMeta {
  duration?: number;
  width?: number;
  height?: number;
  cover?: Blob | null;
}

/** Read duration and size of a local video and grab a JPEG cover from its first frames. */
export function videoMeta(url: string, timeoutMs = 4000): Promise<VideoMeta> {
  return new Promise((resolve) => {
    const v = document.createElement('video');
    const meta: VideoMeta = {};
    const done = () => {
      clearTimeout(timer);
      v.removeAttribute('src');
      resolve(meta);
    };
    const timer = setTimeout(done, timeoutMs);
    v.muted = true;
    v.preload = 'auto';
    v.onloadedmetadata = () => {
      if (Number.isFinite(v.duration)) meta.duration = v.duration;
      meta.width = v.videoWidth;
      meta.height = v.videoHeight;
      v.currentTime = Math.min(0.1, Number.isFinite(v.duration) ? v.duration / 2 : 0.1);
    };
    v.onseeked = () => {
      try {
        const canvas = document.createElement('canvas');
        canvas.width = v.videoWidth;
        canvas.height = v.videoHeight;
        canvas.getContext('2d')?.drawImage(v, 0, 0);
        canvas.toBlob(
          (b) => {
            meta.cover = b;
            done();
          },
          'image/jpeg',
          0.8,
        );
      } catch {
        done();
      }
    };
    v.onerror = done;
    v.src = url;
  });
}

export function sendVideo(chat: Chat, file: File) {
  const local = URL.createObjectURL(file);
  return sendUpload(
    chat,
    MessageType.VIDEO,
    JSON.stringify({ videoUrl: local, coverUrl: null, name: file.name, size: file.size }),
    local,
    async () => {
      const meta = await videoMeta(local);
      const vo = await api.uploadVideo(file, file.name, meta.cover, meta);
      return JSON.stringify({
        videoUrl: vo.videoUrl,
        coverUrl: vo.coverUrl ?? null,
        duration: vo.duration ?? meta.duration ?? null,
        width: vo.width ?? meta.width ?? null,
        height: vo.height ?? meta.height ?? null,
        name: file.name,
        size: file.size,
      });
    },
  );
}

export function sendAudio(chat: Chat, blob: Blob, duration: number) {
  const ext = blob.type.includes('ogg') ? 'ogg' : blob.type.includes('mp4') ? 'm4a' : 'webm';
  const local = URL.createObjectURL(blob);
  return sendUpload(chat, MessageType.AUDIO, JSON.stringify({ duration, url: local }), local, async () => {
    const url = await api.uploadFile(blob, `voice-${Date.now()}.${ext}`);
    return JSON.stringify({ duration, url });
  });
}

/** Dispatch any list of files (picker, paste, drag-and-drop) by type, in order. */
export function sendFiles(chat: Chat, files: Iterable<File>) {
  for (const f of files) {
    const max = f.type.startsWith('video/') ? VIDEO_MAX_BYTES : Limits.UPLOAD_MAX_BYTES;
    if (f.size > max) {
      ElMessage.error(t('input.tooLarge', { n: max / 1024 / 1024 }));
      continue;
    }
    if (IMAGE_TYPES.includes(f.type)) void sendImage(chat, f);
    else if (f.type.startsWith('video/')) void sendVideo(chat, f);
    else void sendFile(chat, f);
  }
}
