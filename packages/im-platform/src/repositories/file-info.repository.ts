import type { DialectHandle, FileInfoRow } from '../db';
import { insertReturningId } from '../db';

export interface NewFileInfo {
  fileName: string;
  /** Storage key (rows written by box-im hold absolute URLs instead). */
  filePath: string;
  fileSize: number;
  fileType: number;
  compressedPath: string | null;
  coverPath: string | null;
  isPermanent: boolean;
  /** box-im's column, still filled for box-im's nodes. */
  md5: string;
  sha256: string;
  /** NULL for anonymous uploads. */
  uploaderId: number | null;
  uploadTime: Date;
}

/** What identifies an upload for de-duplication: who, which bytes, which kind. */
export interface UploadIdentity {
  uploaderId: number;
  sha256: string;
  size: number;
  fileType: number;
}

/** SQL of `im_file_info`. */
export class FileInfoRepository {
  constructor(private readonly h: DialectHandle) {}

  /**
   * The newest upload of these bytes (sha256 and size) and kind by this uploader. Other
   * users' uploads never match, so a duplicate reveals nothing about them.
   */
  findDuplicate(id: UploadIdentity): Promise<FileInfoRow | undefined> {
    return this.h.db
      .selectFrom('im_file_info')
      .selectAll()
      .where('uploader_id', '=', id.uploaderId)
      .where('sha256', '=', id.sha256)
      .where('file_size', '=', id.size)
      .where('file_type', '=', id.fileType)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  /** The newest row with this md5 and type, whoever uploaded it (tests, admin tools). */
  findByMd5(md5: string, fileType: number): Promise<FileInfoRow | undefined> {
    return this.h.db
      .selectFrom('im_file_info')
      .selectAll()
      .where('md5', '=', md5)
      .where('file_type', '=', fileType)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  findById(id: number): Promise<FileInfoRow | undefined> {
    return this.h.db.selectFrom('im_file_info').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Insert a row; returns its id. */
  insert(row: NewFileInfo): Promise<number> {
    return insertReturningId(
      this.h,
      this.h.db.insertInto('im_file_info').values({
        file_name: row.fileName,
        file_path: row.filePath,
        file_size: row.fileSize,
        file_type: row.fileType,
        compressed_path: row.compressedPath,
        cover_path: row.coverPath,
        is_permanent: row.isPermanent ? 1 : 0,
        md5: row.md5,
        sha256: row.sha256,
        uploader_id: row.uploaderId,
        upload_time: row.uploadTime,
      }),
    );
  }

  /** A dedup hit: refresh the upload time and raise (never lower) the permanent flag. */
  async touch(id: number, at: Date, permanent: boolean): Promise<void> {
    await this.h.db
      .updateTable('im_file_info')
      .set(permanent ? { upload_time: at, is_permanent: 1 } : { upload_time: at })
      .where('id', '=', id)
      .execute();
  }

  /**
   * Non-permanent rows uploaded at or before `cutoff`, by ascending id after `afterId`.
   * The id cursor guarantees progress even when some rows cannot be deleted.
   */
  findExpired(cutoff: Date, afterId: number, limit: number): Promise<FileInfoRow[]> {
    return this.h.db
      .selectFrom('im_file_info')
      .selectAll()
      .where('is_permanent', '=', 0)
      .where('upload_time', '<=', cutoff)
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(limit)
      .execute();
  }

  async deleteByIds(ids: readonly number[]): Promise<void> {
    if (ids.length === 0) return;
    await this.h.db
      .deleteFrom('im_file_info')
      .where('id', 'in', [...ids])
      .execute();
  }

  /** Backdate a row (tests and admin tools). */
  async setUploadTime(id: number, at: Date): Promise<void> {
    await this.h.db.updateTable('im_file_info').set({ upload_time: at }).where('id', '=', id).execute();
  }
}
