import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { loadPlatformConfig } from '../../src/config';
import type { AppContext } from '../../src/context';
import { registerFileServing } from '../../src/http/file-serving';
import { DiskStorage } from '../../src/storage/disk/disk-storage';
import { storageContract } from './storage.contract';

/** DiskStorage behind the platform's own `/files/` route on port 0. */
async function serveDisk(root: string) {
  const storage = new DiskStorage(root);
  const app = Fastify();
  const ctx = { storage, config: loadPlatformConfig({}) } as unknown as AppContext;
  await registerFileServing(app, ctx);
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { storage, app, url };
}

storageContract('disk', async () => {
  const root = mkdtempSync(join(tmpdir(), 'im-disk-'));
  const { storage, app, url } = await serveDisk(join(root, 'files'));
  return {
    storage,
    urlOf: (key) => Promise.resolve(`${url}/files/${key}`),
    async close() {
      await app.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
});

describe('disk file serving', () => {
  it('serves no listings, no traversal, no dot files, and renders nothing dangerous', async () => {
    const root = mkdtempSync(join(tmpdir(), 'im-disk-'));
    writeFileSync(join(root, 'secret.txt'), 'outside the storage root');
    const { storage, app, url } = await serveDisk(join(root, 'files'));
    try {
      await storage.init();
      await storage.put('file/20260101/abc.html', Buffer.from('<script>alert(1)</script>'), {
        contentType: 'text/html',
      });
      await storage.put('image/20260101/abc.png', Buffer.from('not really a png'), {
        contentType: 'image/png',
      });
      symlinkSync(join(root, 'secret.txt'), join(root, 'files', 'image', 'link.txt'));

      for (const path of [
        '/files/',
        '/files/file',
        '/files/file/',
        '/files/file/20260101',
        '/files/../secret.txt',
        '/files/%2e%2e/secret.txt',
        '/files/file/%2e%2e/%2e%2e/secret.txt',
        '/files/..%2fsecret.txt',
        '/files/image/link.txt/',
        '/files/image/link.txt',
        '/files/missing.png',
      ]) {
        const res = await fetch(`${url}${path}`);
        expect(res.status, path).toBe(404);
        expect(await res.text(), path).not.toContain('outside the storage root');
      }

      const html = await fetch(`${url}/files/file/20260101/abc.html`);
      expect(html.status).toBe(200);
      expect(html.headers.get('content-type')).toBe('application/octet-stream');
      expect(html.headers.get('content-disposition')).toBe('attachment');
      expect(html.headers.get('x-content-type-options')).toBe('nosniff');

      const png = await fetch(`${url}/files/image/20260101/abc.png`);
      expect(png.headers.get('content-type')).toBe('image/png');
      expect(png.headers.get('cache-control')).toContain('immutable');

      const range = await fetch(`${url}/files/image/20260101/abc.png`, { headers: { range: 'bytes=0-2' } });
      expect(range.status).toBe(206);
      expect(await range.text()).toBe('not');
    } finally {
      await app.close();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
