/** Pick an image and upload it as a permanent avatar (with its small thumbnail). */
import { api } from '../api';
import { parseFileName } from './format';

export function pickAvatar(): Promise<{ headImage: string; headImageThumb: string } | null> {
  return new Promise((resolve) => {
    uni.chooseImage({
      count: 1,
      sizeType: ['compressed'],
      sourceType: ['album', 'camera'],
      success: (res) => {
        const files = (Array.isArray(res.tempFiles) ? res.tempFiles : [res.tempFiles]) as {
          path: string;
          name?: string;
        }[];
        const f = files[0];
        if (!f) return resolve(null);
        api
          .uploadImage(f.path, f.name || parseFileName(f.path, 'jpg'), { isPermanent: true, thumbSize: 20 })
          .then((vo) => resolve({ headImage: vo.originUrl, headImageThumb: vo.thumbUrl || vo.originUrl }))
          .catch(() => resolve(null));
      },
      fail: () => resolve(null),
    });
  });
}
