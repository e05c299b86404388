import { describe, expect, it } from 'vitest';
import { msUntil } from '../../src/jobs/file-expiry';
import { contentTypeOfKey } from '../../src/media/content-types';
import { fileExtension, sniff } from '../../src/media/sniff';
import { ImageWork } from '../../src/media/image-work';
import { formatLimit } from '../../src/media/upload-intake';
import { isValidKey, newObjectKey, siblingKey } from '../../src/storage/object-key';
import { makeMp4, makePng, makeWav } from './media-fixtures';

describe('media helpers', () => {
  it('sniffs types from bytes, not names', async () => {
    expect(sniff(await makePng(4, 4))?.mime).toBe('image/png');
    expect(sniff(makeWav(1))?.ext).toBe('wav');
    expect(sniff(makeMp4(1, 2, 2))?.ext).toBe('mp4');
    expect(sniff(Buffer.from('%PDF-1.7'))?.ext).toBe('pdf');
    expect(sniff(Buffer.from('ID3\x03\x00'))?.ext).toBe('mp3');
    expect(sniff(Buffer.from('<html><script>'))).toBeNull();
    expect(sniff(Buffer.from([0xff, 0xf1, 0x50, 0x80]))?.mime).toBe('audio/aac'); // ADTS
    const theora = Buffer.concat([
      Buffer.from('OggS\0\x02', 'latin1'),
      Buffer.alloc(20),
      Buffer.from([1, 42]),
      Buffer.from('\x80theora', 'latin1'),
    ]);
    expect(sniff(theora)?.mime).toBe('video/ogg');
  });

  it('keeps a plain client extension only when the bytes are unknown and it is not an inline type', () => {
    expect(fileExtension(null, 'notes.DOCX')).toBe('docx');
    expect(fileExtension(null, 'x.png')).toBe('bin');
    expect(fileExtension(null, 'page.html')).toBe('html');
    expect(contentTypeOfKey('file/20260101/a.html')).toEqual({
      type: 'application/octet-stream',
      attachment: true,
    });
    expect(fileExtension(null, '../../etc/passwd')).toBe('bin');
    expect(fileExtension(null, 'a.tar.gz/../x')).toBe('bin');
    expect(fileExtension(sniff(makeWav(1)), 'voice.mp3')).toBe('wav');
  });

  it('generates keys that validate, and validates nothing else', () => {
    const key = newObjectKey('image', 'JPG', new Date(Date.UTC(2026, 10, 26)));
    expect(key).toMatch(/^image\/20261126\/[0-9a-f]{32}\.jpg$/);
    expect(isValidKey(key)).toBe(true);
    expect(siblingKey(key, 'thumb', 'webp')).toBe(key.replace(/\.jpg$/, '-thumb.webp'));
    for (const bad of ['../x', 'a/./b', 'a/.b', 'a b', 'a/b.', 'x'.repeat(201)])
      expect(isValidKey(bad), bad).toBe(false);
  });

  it('runs at most `concurrency` image jobs at once, queues a bounded number, refuses the rest', async () => {
    const work = new ImageWork(2, 1);
    const gates: (() => void)[] = [];
    const started: number[] = [];
    const job = (n: number) => () =>
      new Promise<number>((resolve) => {
        started.push(n);
        gates.push(() => resolve(n));
      });
    const a = work.run(job(1));
    const b = work.run(job(2));
    const c = work.run(job(3));
    await expect(work.run(job(4))).rejects.toMatchObject({ def: { key: 'IMAGE_BUSY' } });
    await Promise.resolve();
    expect(started).toEqual([1, 2]);
    expect(work.load).toEqual({ running: 2, waiting: 1 });
    gates.shift()!();
    expect(await a).toBe(1);
    await new Promise((r) => setTimeout(r, 0));
    expect(started).toEqual([1, 2, 3]);
    gates.splice(0).forEach((open) => open());
    expect([await b, await c]).toEqual([2, 3]);
    expect(work.load).toEqual({ running: 0, waiting: 0 });
  });

  it('words limits as box-im does', () => {
    expect(formatLimit(20 * 1024 * 1024)).toBe('20M');
    expect(formatLimit(100 * 1024 * 1024)).toBe('100M');
    expect(formatLimit(1536 * 1024)).toBe('1.5M');
    expect(formatLimit(512 * 1024)).toBe('512K');
  });

  it('schedules the expiry at the next local HH:MM', () => {
    const now = new Date(2026, 10, 26, 2, 30, 0);
    expect(msUntil('03:00', now)).toBe(30 * 60_000);
    expect(msUntil('02:30', now)).toBe(24 * 3600_000);
    expect(msUntil('01:00', now)).toBe(22.5 * 3600_000);
  });
});
