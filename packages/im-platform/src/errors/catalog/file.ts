import { defineErrors } from '../app-error';

/** Errors of uploads (`/image/upload`, `/file/upload`, `/video/upload`). `{max}` reads like `20M`. */
export const FileErrors = defineErrors({
  NOT_MULTIPART: {
    code: 500,
    zh: '请使用multipart/form-data格式上传文件',
    en: 'Uploads must be sent as multipart/form-data',
  },
  BAD_MULTIPART: { code: 500, zh: '上传数据格式不正确', en: 'The multipart body is malformed' },
  FILE_MISSING: {
    code: 500,
    zh: '请选择要上传的文件（字段 {field}）',
    en: 'Missing the file part "{field}"',
  },
  UNEXPECTED_PART: {
    code: 500,
    zh: '不支持的上传字段：{field}',
    en: 'Unexpected file part "{field}"',
  },
  UPLOAD_QUOTA: {
    code: 429,
    zh: '今日上传量已达上限，请明天再试',
    en: 'Daily upload quota reached, please try again tomorrow',
  },
  FILE_EMPTY: { code: 500, zh: '文件内容为空', en: 'The uploaded file is empty' },
  FILE_NAME_TOO_LONG: {
    code: 500,
    zh: '文件名长度不能超过{max}',
    en: 'The file name must be at most {max} characters',
  },
  FILE_TOO_LARGE: { code: 500, zh: '文件大小不能超过{max}', en: 'The file must not be larger than {max}' },
  IMAGE_TOO_LARGE: { code: 500, zh: '图片大小不能超过{max}', en: 'The image must not be larger than {max}' },
  VIDEO_TOO_LARGE: { code: 500, zh: '视频大小不能超过{max}', en: 'The video must not be larger than {max}' },
  IMAGE_FORMAT: {
    code: 500,
    zh: '图片格式不合法',
    en: 'The file is not a valid image (JPEG, PNG, GIF or WebP expected)',
  },
  IMAGE_TOO_MANY_PIXELS: {
    code: 500,
    zh: '图片尺寸过大',
    en: 'The image is too large: {width}×{height} pixels, at most {max} megapixels are accepted',
  },
  IMAGE_BUSY: {
    code: 500,
    zh: '图片处理繁忙，请稍后再试',
    en: 'Too many images are being processed, please try again shortly',
  },
  ANONYMOUS_UPLOAD_LIMIT: {
    code: 500,
    zh: '未登录上传过于频繁，请登录后再试',
    en: 'Too many uploads without login from this address, please log in and try again',
  },
  VIDEO_FORMAT: {
    code: 500,
    zh: '视频格式不合法',
    en: 'The file is not a supported video (MP4, MOV or WebM expected)',
  },
  COVER_FORMAT: {
    code: 500,
    zh: '视频封面格式不合法',
    en: 'The video cover is not a valid image (JPEG, PNG, GIF or WebP expected)',
  },
  STORAGE_FAILED: {
    code: 500,
    zh: '文件保存失败，请稍后再试',
    en: 'The file could not be stored, please try again later',
  },
});
