/** Turn picked / pasted / dropped files into image, video or file messages. */
import { ElMessage } from 'element-plus';
import { Limits, MessageType } from '@box-im/im-common';
import { api } from '../api';
import { t } from '../i18n';
import type { Chat } from '../lib/types';
import { sendUpload } from './send';

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
  return sendUpload(chat, MessageType.IMAGE, JSON.stringify({ originUrl: local, thumbUrl: local, width: 0, height: 0 }), local, async () => {
    const [vo, size] = await Promise.all([api.uploadImage(file, file.name), imageSize(local)]);
    return JSON.stringify({
      originUrl: vo.originUrl,
      thumbUrl: vo.thumbUrl || vo.originUrl,
      width: vo.width || size.width,
      height: vo.height || size.height,
    });
  });
}

export function sendFile(chat: Chat, file: File) {
  return sendUpload(chat, MessageType.FILE, JSON.stringify({ name: file.name, size: file.size, url: '' }), undefined, async () => {
    const url = await api.uploadFile(file, file.name);
    return JSON.stringify({ name: file.name, size: file.size, url });
  });
}

export function sendVideo(chat: Chat, file: File) {
  const local = URL.createObjectURL(file);
  return sendUpload(chat, MessageType.VIDEO, JSON.stringify({ videoUrl: local, coverUrl: null, name: file.name, size: file.size }), local, async () => {
    const vo = await api.uploadVideo(file, file.name);
    return JSON.stringify({
      videoUrl: vo.videoUrl, coverUrl: vo.coverUrl ?? null, duration: vo.duration ?? null,
      width: vo.width ?? null, height: vo.height ?? null, name: file.name, size: file.size,
    });
  });
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
    if (f.size > Limits.UPLOAD_MAX_BYTES) {
      ElMessage.error(t('input.tooLarge', { n: Limits.UPLOAD_MAX_BYTES / 1024 / 1024 }));
      continue;
    }
    if (IMAGE_TYPES.includes(f.type)) void sendImage(chat, f);
    else if (f.type.startsWith('video/')) void sendVideo(chat, f);
    else void sendFile(chat, f);
  }
}
