import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { assertValidKey } from '../object-key';
import type { ObjectBody, ObjectStorage, PutOptions, StoredObject } from '../storage';

export interface S3StorageOptions {
  /** e.g. `http://127.0.0.1:9000` (MinIO); unset = AWS from the region. */
  endpoint?: string | undefined;
  region: string;
  bucket: string;
  accessKeyId?: string | undefined;
  secretAccessKey?: string | undefined;
  /** Path-style URLs (`endpoint/bucket/key`), needed by MinIO and s3rver. */
  forcePathStyle: boolean;
  /** Public base URL of the objects (a CDN or a public-read bucket); unset = served via the platform. */
  publicBaseUrl?: string | undefined;
  /**
   * `when_required`: send checksums only when the operation demands them. MinIO, s3rver and
   * older gateways mis-store streamed bodies framed with the SDK's default trailing checksums.
   */
  checksum: 'when_required' | 'when_supported';
}

function status(error: unknown): number | undefined {
  return error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined;
}

function isNotFound(error: unknown): boolean {
  const name = (error as { name?: string } | undefined)?.name;
  return status(error) === 404 || name === 'NoSuchKey' || name === 'NotFound' || name === 'NoSuchBucket';
}

/**
 * Objects in an S3-compatible bucket (AWS S3, MinIO). The bucket stays private: the
 * platform alone writes, with its own keys; clients read through `publicBaseUrl` (when the
 * operator made reads public) or through short-lived presigned GETs handed out by the
 * platform's `/files/<key>` redirect.
 */
export class S3Storage implements ObjectStorage {
  readonly driver = 's3' as const;
  readonly client: S3Client;
  private readonly bucket: string;
  private readonly publicBase: string | undefined;

  constructor(options: S3StorageOptions) {
    const mode = options.checksum === 'when_required' ? 'WHEN_REQUIRED' : 'WHEN_SUPPORTED';
    this.client = new S3Client({
      region: options.region,
      forcePathStyle: options.forcePathStyle,
      requestChecksumCalculation: mode,
      responseChecksumValidation: mode,
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      ...(options.accessKeyId && options.secretAccessKey
        ? { credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey } }
        : {}),
    });
    this.bucket = options.bucket;
    this.publicBase = options.publicBaseUrl?.replace(/\/+$/, '');
  }

  /** Create the bucket if it is missing, private (no bucket policy is ever set). */
  async init(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
    } catch (error) {
      if (!isNotFound(error)) throw error;
      await this.client.send(new CreateBucketCommand({ Bucket: this.bucket }));
    }
  }

  async put(key: string, body: ObjectBody, options: PutOptions): Promise<void> {
    assertValidKey(key);
    const isBuffer = Buffer.isBuffer(body);
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: isBuffer ? body : createReadStream(body.file),
        ContentLength: isBuffer ? body.length : body.size,
        ContentType: options.contentType,
        CacheControl: 'public, max-age=31536000, immutable',
        ...(options.contentDisposition ? { ContentDisposition: options.contentDisposition } : {}),
      }),
    );
  }

  async get(key: string): Promise<StoredObject | null> {
    assertValidKey(key);
    try {
      const res = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return {
        body: res.Body as Readable,
        size: Number(res.ContentLength ?? 0),
        contentType: res.ContentType ?? 'application/octet-stream',
      };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async exists(key: string): Promise<boolean> {
    assertValidKey(key);
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    assertValidKey(key);
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }

  async *list(prefix: string): AsyncIterable<string> {
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const item of page.Contents ?? []) if (item.Key) yield item.Key;
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  publicUrl(key: string): string | null {
    if (!this.publicBase) return null;
    return `${this.publicBase}/${key}`;
  }

  async signedUrl(key: string, ttlSeconds: number): Promise<string | null> {
    assertValidKey(key);
    return getSignedUrl(this.client, new GetObjectCommand({ Bucket: this.bucket, Key: key }), {
      expiresIn: ttlSeconds,
    });
  }

  close(): Promise<void> {
    this.client.destroy();
    return Promise.resolve();
  }
}
