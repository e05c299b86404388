/**
 * The composer's pickers: images from the album or the camera, a file (per platform), a video;
 * each picked item is sent to the chat.
 */
import type { Chat } from '@box-im/im-app-core';
import { t } from '../i18n';
import { sendFile, sendImage, sendVideo } from '../send';
import { parseFileName } from './format';

export function pickImages(c: Chat, source: 'album' | 'camera'): void {
  uni.chooseImage({
    count: source === 'album' ? 9 : 1,
    sizeType: ['original'],
    sourceType: [source],
    success: (res) => {
      const files = (
        Array.isArray(res.tempFiles) ? res.tempFiles : [res.tempFiles]
      ) as (UniApp.ChooseImageSuccessCallbackResultFile & {
        name?: string;
      })[];
      for (const f of files)
        void sendImage(c, { path: f.path, name: f.name || parseFileName(f.path, 'jpg'), size: f.size });
    },
  });
}

export function pickFile(c: Chat): void {
  // #ifdef H5
  uni.chooseFile({
    count: 1,
    success: (res) => {
      const files = (Array.isArray(res.tempFiles) ? res.tempFiles : [res.tempFiles]) as {
        path: string;
        name?: string;
        size: number;
      }[];
      for (const f of files)
        void sendFile(c, { path: f.path, name: f.name || parseFileName(f.path, 'bin'), size: f.size });
    },
  });
  // #endif
  // #ifdef MP-WEIXIN
  uni.chooseMessageFile({
    count: 1,
    type: 'file',
    success: (res) => {
      for (const f of res.tempFiles) void sendFile(c, { path: f.path, name: f.name, size: f.size });
    },
  });
  // #endif
  // #ifdef APP-PLUS
  uni.showToast({ title: t('chat.fileUnsupported'), icon: 'none' });
  // #endif
}

export function pickVideo(c: Chat): void {
  uni.chooseVideo({
    sourceType: ['album', 'camera'],
    success: (res) => {
      const r = res as UniApp.ChooseVideoSuccess & { name?: string; tempFile?: { name?: string } };
      void sendVideo(c, {
        path: r.tempFilePath,
        name: r.name || r.tempFile?.name || parseFileName(r.tempFilePath, 'mp4'),
        size: r.size,
        duration: r.duration,
        width: r.width,
        height: r.height,
      });
    },
  });
}
