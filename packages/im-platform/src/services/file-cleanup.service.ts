import type { Logger } from 'pino';
import type { FileInfoRow } from '../db';
import type { AnonymousUploadRepository } from '../repositories/anonymous-upload.repository';
import type { FileInfoRepository } from '../repositories/file-info.repository';
import { isValidKey } from '../storage/object-key';
import type { ObjectStorage } from '../storage/storage';
import { FILES_PATH } from './file.service';

export interface ExpiryReport {
  rows: number;
  objects: number;
  failed: number;
}

export interface AnonymousReport {
  /** Referred to by a message or profile: kept. */
  kept: number;
  /** Never referred to: objects and row deleted. */
  deleted: number;
  failed: number;
}

export interface FileCleanupDeps {
  storage: ObjectStorage;
  files: FileInfoRepository;
  anonymous: AnonymousUploadRepository;
  log: Logger;
  /** FILE_EXPIRE_DAYS. */
  expireDays: number;
  /** S3_BUCKET (rows written by box-im hold `…/<bucket>/<key>` URLs). */
  s3Bucket: string;
}

const BATCH = 100;

/** The random part of a generated key, shared by its thumbnail and cover. */
const KEY_TOKEN = /[0-9a-f]{32}/;

/**
 * Deleting uploads nobody needs: temporary uploads after FILE_EXPIRE_DAYS (the original,
 * thumbnail and cover, then the row), and anonymous uploads that no message or profile
 * referred to in time. An object already gone counts as deleted; a storage failure keeps
 * the row for the next pass. Id cursors make every pass finish.
 */
export class FileCleanupService {
  constructor(private readonly deps: FileCleanupDeps) {}

  /** Delete temporary uploads older than FILE_EXPIRE_DAYS. */
  async expire(now = new Date()): Promise<ExpiryReport> {
    const cutoff = new Date(now.getTime() - this.deps.expireDays * 86_400_000);
    const report: ExpiryReport = { rows: 0, objects: 0, failed: 0 };
    let afterId = 0;
    for (;;) {
      const rows = await this.deps.files.findExpired(cutoff, afterId, BATCH);
      if (rows.length === 0) break;
      afterId = rows[rows.length - 1]!.id;
      const done: number[] = [];
      for (const row of rows) {
        if (await this.deleteObjectsOf(row, report)) done.push(row.id);
        else report.failed++;
      }
      await this.deps.files.deleteByIds(done);
      report.rows += done.length;
      if (rows.length < BATCH) break;
    }
    return report;
  }

  /**
   * Settle anonymous uploads whose claim time has passed at `now`: one that a later message,
   * or (images) a user's or group's head image refers to is kept as an ordinary upload;
   * any other is deleted with its objects.
   */
  async settleAnonymous(now = new Date()): Promise<AnonymousReport> {
    const report: AnonymousReport = { kept: 0, deleted: 0, failed: 0 };
    let afterId = 0;
    for (;;) {
      const due = await this.deps.anonymous.findDue(now, afterId, BATCH);
      if (due.length === 0) break;
      afterId = due[due.length - 1]!.file_id;
      const tokenOf = (row: FileInfoRow | undefined) =>
        row ? KEY_TOKEN.exec(row.file_path)?.[0] : undefined;
      const tokens = due.map((d) => tokenOf(d.file)).filter((t): t is string => t !== undefined);
      const referenced = await this.deps.anonymous.referenced(
        tokens,
        {
          privateMessageId: Math.min(...due.map((d) => d.private_message_id)),
          groupMessageId: Math.min(...due.map((d) => d.group_message_id)),
        },
        due.some((d) => d.file?.file_path.startsWith('image/')),
      );
      const settled: number[] = [];
      const unused: number[] = [];
      for (const d of due) {
        const token = tokenOf(d.file);
        if (d.file && token && referenced.has(token)) {
          report.kept++;
          settled.push(d.file_id);
        } else if (!d.file || (await this.deleteObjectsOf(d.file, { objects: 0 }))) {
          report.deleted++;
          settled.push(d.file_id);
          unused.push(d.file_id);
        } else {
          report.failed++;
        }
      }
      await this.deps.files.deleteByIds(unused);
      await this.deps.anonymous.deleteByFileIds(settled);
      if (due.length < BATCH) break;
    }
    return report;
  }

  private async deleteObjectsOf(row: FileInfoRow, report: { objects: number }): Promise<boolean> {
    const keys = new Set<string>();
    for (const stored of [row.file_path, row.compressed_path, row.cover_path]) {
      if (!stored) continue;
      const key = this.keyOf(stored);
      if (key) keys.add(key);
      else
        this.deps.log.warn(
          { id: row.id, path: stored },
          'file row points outside our storage; dropping the row only',
        );
    }
    try {
      for (const key of keys) {
        await this.deps.storage.delete(key);
        report.objects++;
      }
      return true;
    } catch (err) {
      this.deps.log.error({ err, id: row.id }, 'could not delete a file; will retry on the next pass');
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
    for (const prefix of [`${FILES_PATH}/`, `/${this.deps.s3Bucket}/`]) {
      const at = path.indexOf(prefix);
      if (at >= 0 && isValidKey(path.slice(at + prefix.length))) return path.slice(at + prefix.length);
    }
    const bare = path.replace(/^\/+/, '');
    return isValidKey(bare) ? bare : null;
  }
}
