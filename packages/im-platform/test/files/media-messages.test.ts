import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp, TestUser } from '@box-im/im-platform/testing';
import { makeJpeg, makeMp4, makeWav } from './media-fixtures';
import { STORAGES, fetchUrl, startFileServer, upload } from './support';

const T = { IMAGE: 1, FILE: 2, AUDIO: 3, VIDEO: 4 };

describe.each(STORAGES)('private messages carrying uploads (%s storage)', (kind) => {
  let t: TestApp;
  let alice: TestUser;
  let bob: TestUser;
  beforeAll(async () => {
    t = await startFileServer(kind);
    alice = await t.newUser('ma');
    bob = await t.newUser('mb');
    await t.befriend(alice, bob);
  });
  afterAll(() => t?.close());

  /**
   * Send `content` as `type` from alice; bob receives it (through the offline pull: pushes
   * are the system tests' business); every URL in it is fetchable.
   */
  async function roundTrip(type: number, content: Record<string, unknown>, urls: string[], types: string[]) {
    const sent = await alice.api.post('/message/private/send', {
      recvId: bob.id,
      type,
      content: JSON.stringify(content),
      tmpId: `t${type}`,
    });
    expect(sent.code, sent.message).toBe(200);
    const pulled = await bob.api.get(`/message/private/loadOfflineMessage?minId=${sent.data.id - 1}`);
    const got = (pulled.data as { id: number; content: string; sendId: number; type: number }[]).find(
      (m) => m.id === sent.data.id,
    )!;
    expect(got).toMatchObject({ sendId: alice.id, type });
    const received = JSON.parse(got.content) as Record<string, unknown>;
    expect(received).toEqual(content);
    for (const [i, url] of urls.entries()) {
      const res = await fetchUrl(url);
      expect(res.status, url).toBe(200);
      expect(res.type, url).toBe(types[i]);
    }
  }

  it('IMAGE: {originUrl, thumbUrl, width, height}', async () => {
    const up = await upload(alice, '/image/upload?isPermanent=false&thumbSize=50', {
      bytes: await makeJpeg(1024, 768),
      name: 'p.jpg',
    });
    expect(up.code, up.message).toBe(200);
    const vo = up.data as { originUrl: string; thumbUrl: string; width: number; height: number };
    await roundTrip(T.IMAGE, vo, [vo.originUrl, vo.thumbUrl], ['image/jpeg', 'image/jpeg']);
  });

  it('FILE: {name, size, url}', async () => {
    const bytes = Buffer.from('%PDF-1.4\n% a tiny pdf-looking file\n');
    const up = await upload(alice, '/file/upload', { bytes, name: '报告.pdf' });
    expect(up.code, up.message).toBe(200);
    await roundTrip(
      T.FILE,
      { name: '报告.pdf', size: bytes.length, url: up.data },
      [up.data as string],
      ['application/pdf'],
    );
  });

  it('AUDIO: {duration, url} of a wav voice message', async () => {
    const up = await upload(alice, '/file/upload', { bytes: makeWav(2), name: '1732600000000.wav' });
    expect(up.code, up.message).toBe(200);
    await roundTrip(T.AUDIO, { duration: 2, url: up.data }, [up.data as string], ['audio/wav']);
  });

  it('VIDEO: {videoUrl, coverUrl, duration, width, height, name, size}', async () => {
    const video = makeMp4(4, 640, 360, 32 * 1024);
    const up = await upload(
      alice,
      '/video/upload',
      { bytes: video, name: 'clip.mp4' },
      { field: 'cover', bytes: await makeJpeg(640, 360), name: 'cover.jpg' },
    );
    expect(up.code, up.message).toBe(200);
    const vo = up.data as {
      videoUrl: string;
      coverUrl: string;
      duration: number;
      width: number;
      height: number;
    };
    await roundTrip(
      T.VIDEO,
      { ...vo, name: 'clip.mp4', size: video.length },
      [vo.videoUrl, vo.coverUrl],
      ['video/mp4', 'image/jpeg'],
    );
  });
});
