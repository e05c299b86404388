/**
 * The contract every ObjectStorage driver keeps, run by disk-storage.test.ts and
 * s3-storage.test.ts (s3rver always; a real MinIO/S3 when IM_TEST_S3_ENDPOINT is set).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ObjectStorage } from '../../src/storage/storage';
import { newObjectKey } from '../../src/storage/object-key';

export interface ContractTarget {
  storage: ObjectStorage;
  /** A URL a plain HTTP client can read the object from (served, public or presigned). */
  urlOf(key: string): Promise<string>;
  close(): Promise<void>;
}

async function readAll(storage: ObjectStorage, key: string): Promise<Buffer | null> {
  const obj = await storage.get(key);
  if (!obj) return null;
  const chunks: Buffer[] = [];
  for await (const c of obj.body) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

export function storageContract(name: string, open: () => Promise<ContractTarget>): void {
  describe(`ObjectStorage contract: ${name}`, () => {
    let t: ContractTarget;
    let scratch: string;
    // Every run writes under its own prefix so a shared real bucket stays usable.
    const run = `t${randomBytes(4).toString('hex')}`;
    const key = (leaf: string) => `${run}/${leaf}`;

    beforeAll(async () => {
      t = await open();
      await t.storage.init();
      await t.storage.init(); // idempotent
      scratch = mkdtempSync(join(tmpdir(), 'im-contract-'));
    });
    afterAll(async () => {
      for await (const k of t.storage.list(`${run}/`)) await t.storage.delete(k);
      await t.close();
      rmSync(scratch, { recursive: true, force: true });
    });

    it('stores a buffer and reads it back with its size and content type', async () => {
      await t.storage.put(key('hello.txt'), Buffer.from('hello 世界'), { contentType: 'text/plain' });
      const obj = await t.storage.get(key('hello.txt'));
      expect(obj).not.toBeNull();
      expect(obj!.size).toBe(Buffer.byteLength('hello 世界'));
      expect(await text(obj!.body)).toBe('hello 世界');
      expect(await t.storage.exists(key('hello.txt'))).toBe(true);
    });

    it('streams a file body byte for byte (no checksum framing in the object)', async () => {
      const bytes = randomBytes(1024 * 1024 + 7);
      const file = join(scratch, 'big.bin');
      writeFileSync(file, bytes);
      await t.storage.put(
        key('big.bin'),
        { file, size: bytes.length },
        { contentType: 'application/octet-stream' },
      );
      const back = await readAll(t.storage, key('big.bin'));
      expect(back?.length).toBe(bytes.length);
      expect(back!.equals(bytes)).toBe(true);
    });

    it('replaces an object written again under the same key', async () => {
      await t.storage.put(key('same.txt'), Buffer.from('one'), { contentType: 'text/plain' });
      await t.storage.put(key('same.txt'), Buffer.from('two!'), { contentType: 'text/plain' });
      expect((await readAll(t.storage, key('same.txt')))?.toString()).toBe('two!');
    });

    it('reports missing objects as absent, and deleting one twice is fine', async () => {
      expect(await t.storage.get(key('nothing.txt'))).toBeNull();
      expect(await t.storage.exists(key('nothing.txt'))).toBe(false);
      await t.storage.put(key('gone.txt'), Buffer.from('x'), { contentType: 'text/plain' });
      await t.storage.delete(key('gone.txt'));
      await t.storage.delete(key('gone.txt'));
      await t.storage.delete(key('never-existed.txt'));
      expect(await t.storage.exists(key('gone.txt'))).toBe(false);
    });

    it('lists keys under a prefix only', async () => {
      await t.storage.put(key('list/a.txt'), Buffer.from('a'), { contentType: 'text/plain' });
      await t.storage.put(key('list/sub/b.txt'), Buffer.from('b'), { contentType: 'text/plain' });
      await t.storage.put(key('other/c.txt'), Buffer.from('c'), { contentType: 'text/plain' });
      const keys: string[] = [];
      for await (const k of t.storage.list(key('list/'))) keys.push(k);
      expect(keys.sort()).toEqual([key('list/a.txt'), key('list/sub/b.txt')]);
    });

    it('refuses keys that are not platform-generated (traversal, absolute, odd characters)', async () => {
      for (const bad of [
        '../etc/passwd',
        '/etc/passwd',
        'a/../../b',
        'a//b',
        'A.JPG',
        '.hidden',
        'a/b/',
        'a\\b',
        'a%2f..',
        '',
      ]) {
        await expect(
          t.storage.put(bad, Buffer.from('x'), { contentType: 'text/plain' }),
          bad,
        ).rejects.toThrow();
        await expect(t.storage.get(bad), bad).rejects.toThrow();
        await expect(t.storage.delete(bad), bad).rejects.toThrow();
      }
    });

    it('serves an object over HTTP with its content type', async () => {
      const k = newObjectKey('image', 'png').replace(/^image\//, `${run}/`);
      const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
      await t.storage.put(k, png, { contentType: 'image/png' });
      const res = await fetch(await t.urlOf(k));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/png');
      expect(Buffer.from(await res.arrayBuffer()).equals(png)).toBe(true);
    });
  });
}
