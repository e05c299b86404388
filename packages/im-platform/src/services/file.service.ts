import { FileType, type UploadImageVO, type UploadVideoVO, type UserSession } from '@box-im/im-common';
import type { Logger } from 'pino';
import { DAY_MS, type Clock } from '../clock';
import { AppError, CommonErrors, FileErrors } from '../errors';
import type { FileInfoRow } from '../db';
import { contentTypeOfKey } from '../media/content-types';
import { makeThumbnail, probeImage, type ImageInfo } from '../media/image';
import { probeMp4, type VideoInfo } from '../media/mp4';
import { fileExtension, sniff } from '../media/sniff';
import type { ReceivedFile } from '../media/upload-intake';
import type { FileInfoRepository } from '../repositories/file-info.repository';
import { isValidKey, newObjectKey, siblingKey } from '../storage/object-key';
import type { ObjectBody, ObjectStorage } from '../storage/storage';
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

export interface ExpiryReport {
  rows: number;
  objects: number;
  failed: number;
}

/** Largest stored video cover; bigger covers are re-encoded like thumbnails. */
const COVER_MAX_BYTES = 100 * 1024;
const EXPIRY_BATCH = 100;

function requireUser(session: UserSession | undefined): void {
  if (!session || !(session.userId > 0)) throw new AppError(CommonErrors.NO_LOGIN);
}

/**
 * Uploads (images with thumbnails, files, videos with covers), box-im's md5 dedup, URL
 * building and the expiry of temporary uploads. Rows of `im_file_info` hold storage keys;
 * URLs are built per request (PUBLIC_URL, or the caller's host), so the same row serves
 * every public address of the deployment.
 */
export type FileServiceDeps = Pick<ServiceDeps, 'storage' | 'fileInfos' | 'log' | 'clock' | 'config'>;

export class FileService {
  private readonly storage: ObjectStorage;
  private readonly files: FileInfoRepository;
  private readonly log: Logger;
  private readonly clock: Clock;
  private readonly expireDays: number;
  private readonly s3Bucket: string;

  constructor(deps: FileServiceDeps) {
    this.storage = deps.storage;
    this.files = deps.fileInfos;
    this.log = deps.log.child({ mod: 'file' });
    this.clock = deps.clock;
    this.expireDays = deps.config.FILE_EXPIRE_DAYS;
    this.s3Bucket = deps.config.S3_BUCKET;
  }

  /** `POST /image/upload`: original + thumbnail (≤ thumbSize KB), real size from the bytes. */
  async uploadImage(
    session: UserSession,
    file: ReceivedFile,
    options: ImageUploadOptions,
    baseUrl: string,
  ): Promise<UploadImageVO> {
    requireUser(session);
    const bytes = file.buffer!;
    const info = await probeImage(bytes);
    if (info === 'too-many-pixels') throw new AppError(FileErrors.IMAGE_TOO_MANY_PIXELS);
    if (typeof info === 'string') throw new AppError(FileErrors.IMAGE_FORMAT);
    const vo = (origin: string, thumb: string | null) => ({
      originUrl: this.urlOf(origin, baseUrl),
      thumbUrl: this.urlOf(thumb ?? origin, baseUrl),
      width: info.width,
      height: info.height,
    });

    const now = this.clock.now();
    const existing = await this.files.findByMd5(file.md5, FileType.IMAGE);
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
    await this.record(stored, {
      fileName: file.fileName,
      filePath: key,
      fileSize: file.size,
      fileType: FileType.IMAGE,
      compressedPath: thumbKey,
      coverPath: null,
      isPermanent: options.isPermanent,
      md5: file.md5,
      uploadTime: now,
    });
    return vo(key, thumbKey);
  }

  /** `POST /file/upload`: any file, stored under a generated key; returns its URL. */
  async uploadFile(session: UserSession, file: ReceivedFile, baseUrl: string): Promise<string> {
    requireUser(session);
    const now = this.clock.now();
    const existing = await this.files.findByMd5(file.md5, FileType.FILE);
    if (existing) {
      await this.files.touch(existing.id, now, false);
      return this.urlOf(existing.file_path, baseUrl);
    }
    const key = newObjectKey('file', fileExtension(sniff(file.head), file.fileName), now);
    const stored: string[] = [];
    await this.store(key, { file: file.tempPath!, size: file.size }, stored);
    await this.record(stored, {
      fileName: file.fileName,
      filePath: key,
      fileSize: file.size,
      fileType: FileType.FILE,
      compressedPath: null,
      coverPath: null,
      isPermanent: false,
      md5: file.md5,
      uploadTime: now,
    });
    return this.urlOf(key, baseUrl);
  }

  /**
   * `POST /video/upload`: an MP4/MOV/WebM video plus an optional cover image. Duration and
   * size come from the MP4 header when readable, else from the client, else (size) from
   * the cover.
   */
  async uploadVideo(
    session: UserSession,
    video: ReceivedFile,
    cover: ReceivedFile | undefined,
    options: VideoUploadOptions,
    baseUrl: string,
  ): Promise<UploadVideoVO> {
    requireUser(session);
    const type = sniff(video.head);
    if (!type || type.kind !== 'video') throw new AppError(FileErrors.VIDEO_FORMAT);
    let coverInfo: ImageInfo | undefined;
    if (cover) {
      const probed = await probeImage(cover.buffer!);
      if (typeof probed === 'string') throw new AppError(FileErrors.COVER_FORMAT);
      coverInfo = probed;
    }
    const probed: VideoInfo = type.ext === 'webm' ? {} : await probeMp4(video.tempPath!, video.size);
    const result = (videoKey: string, coverKey: string | null): UploadVideoVO => ({
      videoUrl: this.urlOf(videoKey, baseUrl),
      coverUrl: coverKey ? this.urlOf(coverKey, baseUrl) : null,
      duration: probed.duration ?? options.duration ?? null,
      width: probed.width ?? options.width ?? coverInfo?.width ?? null,
      height: probed.height ?? options.height ?? coverInfo?.height ?? null,
    });

    const now = this.clock.now();
    const existing = await this.files.findByMd5(video.md5, FileType.VIDEO);
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
    await this.record(stored, {
      fileName: video.fileName,
      filePath: key,
      fileSize: video.size,
      fileType: FileType.VIDEO,
      compressedPath: null,
      coverPath: coverKey,
      isPermanent: options.isPermanent,
      md5: video.md5,
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

  /**
   * Delete temporary uploads older than FILE_EXPIRE_DAYS: the objects (original, thumbnail,
   * cover) and then the row. An object already gone counts as deleted; a storage failure
   * keeps the row for the next pass. The id cursor makes every pass finish.
   */
  async expire(now = this.clock.now()): Promise<ExpiryReport> {
    const cutoff = new Date(now.getTime() - this.expireDays * DAY_MS);
    const report: ExpiryReport = { rows: 0, objects: 0, failed: 0 };
    let afterId = 0;
    for (;;) {
      const rows = await this.files.findExpired(cutoff, afterId, EXPIRY_BATCH);
      if (rows.length === 0) break;
      afterId = rows[rows.length - 1]!.id;
      const done: number[] = [];
      for (const row of rows) {
        if (await this.deleteObjectsOf(row, report)) done.push(row.id);
        else report.failed++;
      }
      await this.files.deleteByIds(done);
      report.rows += done.length;
      if (rows.length < EXPIRY_BATCH) break;
    }
    return report;
  }

  private async deleteObjectsOf(row: FileInfoRow, report: ExpiryReport): Promise<boolean> {
    const keys = new Set<string>();
    for (const stored of [row.file_path, row.compressed_path, row.cover_path]) {
      if (!stored) continue;
      const key = this.keyOf(stored);
      if (key) keys.add(key);
      else
        this.log.warn(
          { id: row.id, path: stored },
          'expired file row points outside our storage; dropping the row only',
        );
    }
    try {
      for (const key of keys) {
        await this.storage.delete(key);
        report.objects++;
      }
      return true;
    } catch (err) {
      this.log.error({ err, id: row.id }, 'could not delete an expired file; will retry on the next pass');
      return false;
    }
  }

  /** The storage key of a stored path: a key, or a URL of ours (`…/files/<key>`, `…/<bucket>/<key>`). */
  private keyOf(stored: string): string | null {
    if (isValidKey(stored)) return stored;
    let path: string;
    try {
      path = decodeURIComponent(new URL(stored).pathname);
    } catch {
      return null;
    }
    for (const prefix of [`${FILES_PATH}/`, `/${this.s3Bucket}/`]) {
      const at = path.indexOf(prefix);
      if (at >= 0 && isValidKey(path.slice(at + prefix.length))) return path.slice(at + prefix.length);
    }
    const bare = path.replace(/^\/+/, '');
    return isValidKey(bare) ? bare : null;
  }

  private async thumbnail(bytes: Buffer, info: ImageInfo, budget: number, stored: string[]) {
    try {
      return await makeThumbnail(bytes, info, budget);
    } catch (err) {
      await this.discard(stored);
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

  private async record(stored: string[], row: Parameters<FileInfoRepository['insert']>[0]): Promise<void> {
    try {
      await this.files.insert(row);
    } catch (err) {
      await this.discard(stored);
      throw err;
    }
  }

  /** Best-effort removal of objects written by a failed upload. */
  private async discard(keys: string[]): Promise<void> {
    for (const key of keys) await this.storage.delete(key).catch(() => undefined);
  }
}
