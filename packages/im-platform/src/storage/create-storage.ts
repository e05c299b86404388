import { join } from 'node:path';
import type { PlatformConfig } from '../config';
import { DiskStorage } from './disk/disk-storage';
import { S3Storage } from './s3/s3-storage';
import type { ObjectStorage } from './storage';

/** The storage of STORAGE_DRIVER: `<DATA_DIR>/files` on disk, or the S3_* bucket. */
export function createStorage(config: PlatformConfig): ObjectStorage {
  if (config.STORAGE_DRIVER === 'disk') return new DiskStorage(join(config.DATA_DIR, 'files'));
  return new S3Storage({
    endpoint: config.S3_ENDPOINT,
    region: config.S3_REGION,
    bucket: config.S3_BUCKET,
    accessKeyId: config.S3_ACCESS_KEY,
    secretAccessKey: config.S3_SECRET_KEY,
    forcePathStyle: config.S3_FORCE_PATH_STYLE,
    publicBaseUrl: config.S3_PUBLIC_URL,
    checksum: config.S3_CHECKSUM,
  });
}

export type { ObjectStorage } from './storage';
