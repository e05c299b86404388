import { FileType, type UploadImageVO, type UploadVideoVO } from '@box-im/im-common';
import type { Logger } from 'pino';
import type { Clock } from '../clock';
import { AppError, CommonErrors, FileErrors, type ErrorDef } from '../errors';
import { contentTypeOfKey } from '../media/content-types';
import { makeThumbnail, probeImage, type ImageInfo } from '../media/image';
import type { ImageWork } from '../media/image-work';
import { probeMp4, type VideoInfo } from '../media/mp4';
import { fileExtension, sniff } from '../media/sniff';
import { byTracks } from '../media/tracks';
import type { ReceivedFile } from '../media/upload-intake';
import type { FileInfoRepository, NewFileInfo } from '../repositories/file-info.repository';
import { isValidKey, newObjectKey, siblingKey } from '../storage/object-key';
import type { ObjectBody, ObjectStorage } from '../storage/storage';
import type { AnonymousUploads, Uploader } from './anonymous-uploads';
import type { ServiceDeps } from './deps';

/** URL path at which the platform serves (disk) or redirects to (S3) stored objects. */
export const FILES_PATH = '/files';

export interface ImageUploadOptions {
  isPermanent: boolean;
  /** Thumbnail budget in KB; images at most this big are their own thumbnail. */
  thumbSizeKb: number;
}

export interface VideoUploadOptions {
  isPermanent: boolean;
  /** Client-measured values, used when the file itself does not tell. */
  duration?: number | undefined;
  width?: number | undefined;
  height?: number | undefined;
}

export type FileServiceDeps = Pick<ServiceDeps, 'storage' | 'fileInfos' | 'log' | 'clock' | 'config'> & {
  /** Who may upload without a token, and the per-IP limits. */
  anonymous: AnonymousUploads;
  /** The bound on concurrent image decoding. */
  images: ImageWork;
};

/** Largest stored video cover; bigger covers are re-encoded like thumbnails. */
const COVER_MAX_BYTES = 100 * 1024;

function requireUser(uploader: Uploader): asserts uploader is Uploader & { userId: number } {
  if (uploader.userId === null || !(uploader.userId > 0)) throw new AppError(CommonErrors.NO_LOGIN);
}

/**
 * Uploads (images with thumbnails, files, videos with covers), de-duplication per uploader
 * and URL building. Rows of `im_file_info` hold storage keys; URLs are built per request
 * (PUBLIC_URL, or the caller's host), so the same row serves every public address of the
 * deployment. Who may upload is settled before the body is read (`AnonymousUploads.admit`).
 */
export class FileService {
  private readonly storage: ObjectStorage;
  private readonly files: FileInfoRepository;
  private readonly log: Logger;
  private readonly clock: Clock;

  constructor(private readonly deps: FileServiceDeps) {
    this.storage = deps.storage;
    this.files = deps.fileInfos;
    this.log = deps.log.child({ mod: 'file' });
    this.clock = deps.clock;
  }

  /** `POST /image/upload`: original + thumbnail (≤ thumbSize KB), real size from the bytes. */
  async uploadImage(
    uploader: Uploader,
    file: ReceivedFile,
    options: ImageUploadOptions,
    baseUrl: string,
  ): Promise<UploadImageVO> {
    await this.deps.anonymous.countBytes(uploader, file.size, 'image');
    const bytes = file.buffer!;
    const info = await this.probe(bytes, FileErrors.IMAGE_FORMAT);
    const vo = (origin: string, thumb: string | null) => ({
      originUrl: this.urlOf(origin, baseUrl),
      thumbUrl: this.urlOf(thumb ?? origin, baseUrl),
      width: info.width,
      height: info.height,
    });

    const now = this.clock.now();
    const existing = await this.duplicateOf(uploader, file, FileType.IMAGE);
    if (existing) {
      await this.files.touch(existing.id, now, options.isPermanent);
      return vo(existing.file_path, existing.compressed_path);
    }
    const key = newObjectKey('image', info.ext, now);
    let thumbKey: string | null = null;
    const thumbBudget = options.thumbSizeKb * 1024;
    const stored: string[] = [];
    await this.store(key, bytes, stored);
    if (bytes.length > thumbBudget) {
      const thumb = await this.thumbnail(bytes, info, thumbBudget, stored);
      thumbKey = siblingKey(key, 'thumb', thumb.ext);
      await this.store(thumbKey, thumb.bytes, stored);
    }
    await this.record(stored, uploader, file, {
      filePath: key,
      fileType: FileType.IMAGE,
      compressedPath: thumbKey,
      coverPath: null,
      isPermanent: options.isPermanent,
      uploadTime: now,
    });
    return vo(key, thumbKey);
  }

  /**
   * `POST /file/upload`: any file, stored under a generated key; returns its URL. Audio
   * in a video container (a recorded voice message) is stored and served as audio.
   */
  async uploadFile(uploader: Uploader, file: ReceivedFile, baseUrl: string): Promise<string> {
    await this.deps.anonymous.countBytes(uploader, file.size, 'file');
    const now = this.clock.now();
    const existing = await this.duplicateOf(uploader, file, FileType.FILE);
    if (existing) {
      await this.files.touch(existing.id, now, false);
      return this.urlOf(existing.file_path, baseUrl);
    }
    const sniffed = sniff(file.head);
    const type = sniffed && (await byTracks(sniffed, file.tempPath!, file.size));
    const key = newObjectKey('file', fileExtension(type, file.fileName), now);
    const stored: string[] = [];
    await this.store(key, { file: file.tempPath!, size: file.size }, stored);
    await this.record(stored, uploader, file, {
      filePath: key,
      fileType: FileType.FILE,
      compressedPath: null,
      coverPath: null,
      isPermanent: false,
      uploadTime: now,
    });
    return this.urlOf(key, baseUrl);
  }

  /**
   * `POST /video/upload` (logged-in users only): an MP4/MOV/WebM video plus an optional
   * cover image. Duration and size come from the MP4 header when readable, else from the
   * client, else (size) from the cover.
   */
  async uploadVideo(
    uploader: Uploader,
    video: ReceivedFile,
    cover: ReceivedFile | undefined,
    options: VideoUploadOptions,
    baseUrl: string,
  ): Promise<UploadVideoVO> {
    requireUser(uploader);
    const type = sniff(video.head);
    if (!type || type.kind !== 'video') throw new AppError(FileErrors.VIDEO_FORMAT);
    const coverInfo = cover ? await this.probe(cover.buffer!, FileErrors.COVER_FORMAT) : undefined;
    const probed: VideoInfo = type.ext === 'webm' ? {} : await probeMp4(video.tempPath!, video.size);
    const result = (videoKey: string, coverKey: string | null): UploadVideoVO => ({
      videoUrl: this.urlOf(videoKey, baseUrl),
      coverUrl: coverKey ? this.urlOf(coverKey, baseUrl) : null,
      duration: probed.duration ?? options.duration ?? null,
      width: probed.width ?? options.width ?? coverInfo?.width ?? null,
      height: probed.height ?? options.height ?? coverInfo?.height ?? null,
    });

    const now = this.clock.now();
    const existing = await this.duplicateOf(uploader, video, FileType.VIDEO);
    if (existing) {
      await this.files.touch(existing.id, now, options.isPermanent);
      return result(existing.file_path, existing.cover_path);
    }
    const key = newObjectKey('video', type.ext, now);
    const stored: string[] = [];
    await this.store(key, { file: video.tempPath!, size: video.size }, stored);
    let coverKey: string | null = null;
    if (cover && coverInfo) {
      const small = cover.size <= COVER_MAX_BYTES;
      const image = small
        ? { bytes: cover.buffer!, ext: coverInfo.ext }
        : await this.thumbnail(cover.buffer!, coverInfo, COVER_MAX_BYTES, stored);
      coverKey = siblingKey(key, 'cover', image.ext);
      await this.store(coverKey, image.bytes, stored);
    }
    await this.record(stored, uploader, video, {
      filePath: key,
      fileType: FileType.VIDEO,
      compressedPath: null,
      coverPath: coverKey,
      isPermanent: options.isPermanent,
      uploadTime: now,
    });
    return result(key, coverKey);
  }

  /** The URL clients use for a stored key (rows written by box-im already hold URLs). */
  urlOf(stored: string, baseUrl: string): string {
    if (/^https?:\/\//i.test(stored)) return stored;
    return this.storage.publicUrl(stored) ?? `${baseUrl}${FILES_PATH}/${stored}`;
  }

  /** Where `/files/<key>` sends a client when the objects live in S3 (presigned GET). */
  async redirectUrl(key: string, ttlSeconds: number): Promise<string | null> {
    if (!isValidKey(key)) return null;
    return this.storage.signedUrl(key, ttlSeconds);
  }

  /** The uploader's earlier upload of the same bytes; anonymous uploads are never matched. */
  private async duplicateOf(uploader: Uploader, file: ReceivedFile, fileType: number) {
    if (uploader.userId === null) return undefined;
    return this.files.findDuplicate({
      uploaderId: uploader.userId,
      sha256: file.sha256,
      size: file.size,
      fileType,
    });
  }

  /** Format and displayed size from the header; too many pixels or not an image is refused. */
  private async probe(bytes: Buffer, notAnImage: ErrorDef): Promise<ImageInfo> {
    const probed = await this.deps.images.run(() => probeImage(bytes, this.deps.config.IMAGE_MAX_PIXELS));
    if (probed.ok) return probed.info;
    if (probed.reason !== 'too-large') throw new AppError(notAnImage);
    throw new AppError(FileErrors.IMAGE_TOO_MANY_PIXELS, {
      width: probed.width,
      height: probed.height,
      max: Math.round(probed.maxPixels / 1e5) / 10,
    });
  }

  private async thumbnail(bytes: Buffer, info: ImageInfo, budget: number, stored: string[]) {
    try {
      return await this.deps.images.run(() => makeThumbnail(bytes, info, budget));
    } catch (err) {
      await this.discard(stored);
      if (err instanceof AppError) throw err;
      this.log.warn({ err }, 'image could not be decoded for its thumbnail');
      throw new AppError(FileErrors.IMAGE_FORMAT);
    }
  }

  private async store(key: string, body: ObjectBody, stored: string[]): Promise<void> {
    const served = contentTypeOfKey(key);
    try {
      await this.storage.put(key, body, {
        contentType: served.type,
        ...(served.attachment ? { contentDisposition: 'attachment' } : {}),
      });
      stored.push(key);
    } catch (err) {
      this.log.error({ err, key }, 'storage write failed');
      await this.discard(stored);
      throw new AppError(FileErrors.STORAGE_FAILED);
    }
  }

  /** The row of a stored upload (and, for an anonymous one, its claim deadline). */
  private async record(
    stored: string[],
    uploader: Uploader,
    file: ReceivedFile,
    row: Omit<NewFileInfo, 'fileName' | 'fileSize' | 'md5' | 'sha256' | 'uploaderId'>,
  ): Promise<void> {
    let id: number | undefined;
    try {
      id = await this.files.insert({
        ...row,
        fileName: file.fileName,
        fileSize: file.size,
        md5: file.md5,
        sha256: file.sha256,
        uploaderId: uploader.userId,
      });
      await this.deps.anonymous.track(uploader, id, row.uploadTime);
    } catch (err) {
      if (id !== undefined) await this.files.deleteByIds([id]).catch(() => undefined);
      await this.discard(stored);
      throw err;
    }
  }

  /** Best-effort removal of objects written by a failed upload. */
  private async discard(keys: string[]): Promise<void> {
    for (const key of keys) await this.storage.delete(key).catch(() => undefined);
  }
}
