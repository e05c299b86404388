import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { AppError, FileErrors, type ErrorDef } from '../errors';

/** A file part as received: hashed and size-checked, in memory or spooled to a temp file. */
export interface ReceivedFile {
  fieldName: string;
  /** The client's file name (used for display and length checks only, never for paths). */
  fileName: string;
  size: number;
  /** Hex md5 of the bytes (box-im's column). */
  md5: string;
  /** Hex sha256 of the bytes (with the size and uploader, our de-duplication key). */
  sha256: string;
  /** First bytes, for sniffing. */
  head: Buffer;
  /** The bytes, for `memory` parts. */
  buffer?: Buffer;
  /** The temp file, for `disk` parts; removed by `release()`. */
  tempPath?: string;
}

export interface PartSpec {
  maxBytes: number;
  /** `memory` for images (sharp needs the bytes), `disk` for files and videos. */
  mode: 'memory' | 'disk';
  tooLarge: ErrorDef;
}

export interface Intake {
  files: Map<string, ReceivedFile>;
  /** Remove temp files. Always call it (finally). */
  release(): Promise<void>;
}

/** `20M`, `512K`, `1.5M`: the limit as box-im words it. */
export function formatLimit(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  if (mib >= 1) return `${Number.isInteger(mib) ? mib : mib.toFixed(1)}M`;
  return `${Math.max(1, Math.round(bytes / 1024))}K`;
}

const HEAD_BYTES = 64;
const FILE_NAME_MAX = 128;

function multipartError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const code = (error as { code?: string } | undefined)?.code;
  if (code === 'FST_INVALID_MULTIPART_CONTENT_TYPE') return new AppError(FileErrors.NOT_MULTIPART);
  return new AppError(FileErrors.BAD_MULTIPART);
}

/**
 * Read the multipart body of an upload: the file parts named in `specs`, each limited while
 * streaming (a part over its limit is drained, not stored, and reported with its `tooLarge`
 * error). Text fields are ignored (box-im's web client appends `isPermanent` as one). The
 * whole body is consumed before any error is thrown, so the client always reads the reply.
 */
export async function receiveFiles(
  request: FastifyRequest,
  specs: Record<string, PartSpec>,
): Promise<Intake> {
  const files = new Map<string, ReceivedFile>();
  const temps: string[] = [];
  const release = async () => {
    await Promise.all(temps.map((t) => rm(t, { force: true })));
  };
  const busboyLimit = Math.max(...Object.values(specs).map((s) => s.maxBytes)) + 1;
  let failure: AppError | undefined;
  try {
    if (!request.isMultipart()) throw new AppError(FileErrors.NOT_MULTIPART);
    // Sizes are checked per part below; busboy only stops storing past the largest limit.
    const options = {
      limits: {
        fileSize: busboyLimit,
        files: Object.keys(specs).length + 2,
        fields: 20,
        fieldSize: 4096,
        parts: 30,
      },
      throwFileSizeLimit: false,
    };
    const parts = request.parts(options);
    for await (const part of parts) {
      if (part.type !== 'file') continue;
      const spec = specs[part.fieldname];
      if (!spec || files.has(part.fieldname) || failure) {
        part.file.resume();
        await new Promise((resolve) => part.file.once('close', resolve).once('end', resolve));
        failure ??= new AppError(FileErrors.UNEXPECTED_PART, { field: part.fieldname.slice(0, 32) });
        continue;
      }
      const received = await receivePart(part, spec, temps);
      if (received instanceof AppError) failure = received;
      else files.set(part.fieldname, received);
    }
  } catch (error) {
    await release();
    throw multipartError(error);
  }
  if (failure) {
    await release();
    throw failure;
  }
  return { files, release };
}

async function receivePart(
  part: MultipartFile,
  spec: PartSpec,
  temps: string[],
): Promise<ReceivedFile | AppError> {
  const md5 = createHash('md5');
  const sha256 = createHash('sha256');
  const chunks: Buffer[] = [];
  let head = Buffer.alloc(0);
  let size = 0;
  let tooLarge = false;
  // Control characters (NUL included, which PostgreSQL cannot store) are dropped from the name.
  // eslint-disable-next-line no-control-regex
  const fileName = (part.filename ?? '').replace(/[\u0000-\u001f\u007f]/gu, '');
  const nameTooLong = [...fileName].length > FILE_NAME_MAX;
  const tempPath =
    spec.mode === 'disk' ? join(tmpdir(), `im-upload-${randomBytes(12).toString('hex')}`) : undefined;
  if (tempPath) temps.push(tempPath);

  async function* meter(source: AsyncIterable<Buffer>) {
    for await (const chunk of source) {
      size += chunk.length;
      if (size > spec.maxBytes) tooLarge = true;
      if (tooLarge || nameTooLong) continue; // keep draining, store nothing
      if (head.length < HEAD_BYTES) head = Buffer.concat([head, chunk.subarray(0, HEAD_BYTES - head.length)]);
      md5.update(chunk);
      sha256.update(chunk);
      if (tempPath) yield chunk;
      else chunks.push(chunk);
    }
  }
  if (tempPath) await pipeline(part.file, meter, createWriteStream(tempPath));
  else for await (const _ of meter(part.file)) void _;

  if (nameTooLong) return new AppError(FileErrors.FILE_NAME_TOO_LONG, { max: FILE_NAME_MAX });
  if (tooLarge || part.file.truncated)
    return new AppError(spec.tooLarge, { max: formatLimit(spec.maxBytes) });
  if (size === 0) return new AppError(FileErrors.FILE_EMPTY);
  return {
    fieldName: part.fieldname,
    fileName,
    size,
    md5: md5.digest('hex'),
    sha256: sha256.digest('hex'),
    head,
    ...(tempPath ? { tempPath } : { buffer: Buffer.concat(chunks, size) }),
  };
}
