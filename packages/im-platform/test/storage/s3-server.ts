/**
 * An S3 endpoint for tests: s3rver in-process on port 0 (always), or the real MinIO/S3 of
 * IM_TEST_S3_ENDPOINT (+ IM_TEST_S3_ACCESS_KEY, IM_TEST_S3_SECRET_KEY, IM_TEST_S3_BUCKET).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import S3rver from 's3rver';

export interface TestS3 {
  endpoint: string;
  bucket: string;
  accessKey: string;
  secretKey: string;
  /** The platform variables that select this endpoint. */
  env: Record<string, string>;
  close(): Promise<void>;
}

export const REAL_S3 = process.env['IM_TEST_S3_ENDPOINT'];

/** s3rver on 127.0.0.1:<free port> with an (empty) fresh directory; the bucket is created by the driver. */
export async function startS3rver(): Promise<TestS3> {
  const directory = mkdtempSync(join(tmpdir(), 'im-s3-'));
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const bucket = `im-${randomBytes(4).toString('hex')}`;
  return {
    endpoint,
    bucket,
    accessKey: 'S3RVER',
    secretKey: 'S3RVER',
    env: s3Env(endpoint, bucket, 'S3RVER', 'S3RVER'),
    async close() {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** The real endpoint from IM_TEST_S3_*, with a per-run key prefix isolation by bucket. */
export function realS3(): TestS3 {
  const endpoint = REAL_S3!;
  const bucket = process.env['IM_TEST_S3_BUCKET'] ?? 'box-im-test';
  const accessKey = process.env['IM_TEST_S3_ACCESS_KEY'] ?? '';
  const secretKey = process.env['IM_TEST_S3_SECRET_KEY'] ?? '';
  return {
    endpoint,
    bucket,
    accessKey,
    secretKey,
    env: s3Env(endpoint, bucket, accessKey, secretKey),
    close: () => Promise.resolve(),
  };
}

function s3Env(
  endpoint: string,
  bucket: string,
  accessKey: string,
  secretKey: string,
): Record<string, string> {
  return {
    STORAGE_DRIVER: 's3',
    S3_ENDPOINT: endpoint,
    S3_BUCKET: bucket,
    S3_ACCESS_KEY: accessKey,
    S3_SECRET_KEY: secretKey,
    S3_FORCE_PATH_STYLE: 'true',
    S3_CHECKSUM: 'when_required',
  };
}
