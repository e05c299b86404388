import { describe, expect, it } from 'vitest';
import { S3Storage } from '../../src/storage/s3/s3-storage';
import { REAL_S3, realS3, startS3rver, type TestS3 } from './s3-server';
import { storageContract } from './storage.contract';

function storageOf(s3: TestS3, publicBaseUrl?: string): S3Storage {
  return new S3Storage({
    endpoint: s3.endpoint,
    region: 'us-east-1',
    bucket: s3.bucket,
    accessKeyId: s3.accessKey,
    secretAccessKey: s3.secretKey,
    forcePathStyle: true,
    checksum: 'when_required',
    publicBaseUrl,
  });
}

function target(open: () => Promise<TestS3>) {
  return async () => {
    const s3 = await open();
    const storage = storageOf(s3);
    return {
      storage,
      urlOf: async (key: string) => (await storage.signedUrl(key, 300))!,
      async close() {
        await storage.close();
        await s3.close();
      },
    };
  };
}

storageContract('s3 (s3rver)', target(startS3rver));

describe.skipIf(!REAL_S3)('real S3 endpoint', () => {
  storageContract(
    's3 (IM_TEST_S3_ENDPOINT)',
    target(() => Promise.resolve(realS3())),
  );

  // s3rver accepts anonymous requests, so only a real server can show the bucket is private.
  it('keeps the bucket private: unsigned reads and writes are refused', async () => {
    const s3 = realS3();
    const storage = storageOf(s3);
    await storage.init();
    const key = `t${Date.now().toString(36)}/private.txt`;
    await storage.put(key, Buffer.from('x'), { contentType: 'text/plain' });
    const unsigned = `${s3.endpoint.replace(/\/+$/, '')}/${s3.bucket}/${key}`;
    expect((await fetch(unsigned)).status).toBe(403);
    expect((await fetch(unsigned, { method: 'PUT', body: 'evil' })).status).toBe(403);
    await storage.delete(key);
    await storage.close();
  });
});

describe('S3 storage URLs', () => {
  it('builds public URLs from S3_PUBLIC_URL, else presigned GETs', async () => {
    const s3 = await startS3rver();
    try {
      const pub = storageOf(s3, 'https://cdn.example.com/im/');
      expect(pub.publicUrl('image/20260101/x.png')).toBe('https://cdn.example.com/im/image/20260101/x.png');
      const priv = storageOf(s3);
      expect(priv.publicUrl('image/20260101/x.png')).toBeNull();
      await priv.init();
      await priv.put('image/20260101/x.png', Buffer.from('x'), { contentType: 'image/png' });
      const signed = await priv.signedUrl('image/20260101/x.png', 60);
      expect(signed).toContain('X-Amz-Signature');
      expect((await fetch(signed!)).status).toBe(200);
      await priv.close();
    } finally {
      await s3.close();
    }
  });
});
