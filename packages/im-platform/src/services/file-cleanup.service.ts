import type { Logger } from 'pino';
import { DAY_MS } from '../clock';
import type { FileInfoRow } from '../db';
import { isValidKey } from '../storage/object-key';
import type { ServiceDeps } from './deps';
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

export type FileCleanupDeps = Pick<
  ServiceDeps,
  'storage' | 'fileInfos' | 'anonymousUploads' | 'log' | 'clock' | 'config'
>;

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
  private readonly log: Logger;

  constructor(private readonly deps: FileCleanupDeps) {
    this.log = deps.log.child({ mod: 'file' });
  }

  /** Delete temporary uploads older than FILE_EXPIRE_DAYS (at `now`, the clock's by default). */
  async expire(now = this.deps.clock.now()): Promise<ExpiryReport> {
    const cutoff = new Date(now.getTime() - this.deps.config.FILE_EXPIRE_DAYS * DAY_MS);
    const report: ExpiryReport = { rows: 0, objects: 0, failed: 0 };
    let afterId = 0;
    for (;;) {
      const rows = await this.deps.fileInfos.findExpired(cutoff, afterId, BATCH);
      if (rows.length === 0) break;
      afterId = rows[rows.length - 1]!.id;
      const done: number[] = [];
      for (const row of rows) {
        if (await this.deleteObjectsOf(row, report)) done.push(row.id);
        else report.failed++;
      }
      await this.deps.fileInfos.deleteByIds(done);
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
  async settleAnonymous(now = this.deps.clock.now()): Promise<AnonymousReport> {
    const report: AnonymousReport = { kept: 0, deleted: 0, failed: 0 };
    let afterId = 0;
    for (;;) {
      const due = await this.deps.anonymousUploads.findDue(now, afterId, BATCH);
      if (due.length === 0) break;
      afterId = due[due.length - 1]!.file_id;
      const tokenOf = (row: FileInfoRow | undefined) =>
        row ? KEY_TOKEN.exec(row.file_path)?.[0] : undefined;
      const tokens = due.map((d) => tokenOf(d.file)).filter((t): t is string => t !== undefined);
      const referenced = await this.deps.anonymousUploads.referenced(
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
      await this.deps.fileInfos.deleteByIds(unused);
      await this.deps.anonymousUploads.deleteByFileIds(settled);
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
        this.log.warn(
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
      this.log.error({ err, id: row.id }, 'could not delete a file; will retry on the next pass');
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
    for (const prefix of [`${FILES_PATH}/`, `/${this.deps.config.S3_BUCKET}/`]) {
      const at = path.indexOf(prefix);
      if (at >= 0 && isValidKey(path.slice(at + prefix.length))) return path.slice(at + prefix.length);
    }
    const bare = path.replace(/^\/+/, '');
    return isValidKey(bare) ? bare : null;
  }
}
