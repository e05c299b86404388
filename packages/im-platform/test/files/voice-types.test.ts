/**
 * Voice messages are served as audio (issue 9, item 16). box-im's app names every
 * recording `<time>.mp3`, whatever it holds: an MP3 from the app's recorder, a WebM/Opus
 * from MediaRecorder in its H5 build. A WebM or MP4 without a video track used to be
 * stored as `.webm`/`.mp4` and served as `video/*`; the type now comes from the tracks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp, TestUser } from '@box-im/im-platform/testing';
import { makeAudioMp4, makeMp3, makeOggOpus, makeWebm } from './audio-fixtures';
import { STORAGES, fetchUrl, startFileServer, upload } from './support';

const cases = [
  { what: 'MP3 from the app recorder', make: () => makeMp3(), ext: 'mp3', type: 'audio/mpeg' },
  { what: 'WebM/Opus from MediaRecorder', make: () => makeWebm(false), ext: 'weba', type: 'audio/webm' },
  { what: 'MP4 with only an AAC track', make: () => makeAudioMp4(2), ext: 'm4a', type: 'audio/mp4' },
  { what: 'Ogg/Opus', make: () => makeOggOpus(), ext: 'ogg', type: 'audio/ogg' },
  {
    what: 'WebM with a video track (still a video)',
    make: () => makeWebm(true),
    ext: 'webm',
    type: 'video/webm',
  },
];

describe.each(STORAGES)('voice recordings on %s storage', (kind) => {
  let t: TestApp;
  let alice: TestUser;
  beforeAll(async () => {
    t = await startFileServer(kind);
    alice = await t.newUser('voice');
  });
  afterAll(() => t?.close());

  it.each(cases)('$what named .mp3 is stored as .$ext and served as $type', async (c) => {
    const bytes = c.make();
    const res = await upload(alice, '/file/upload', { bytes, name: '1732600000000.mp3', type: 'audio/mpeg' });
    expect(res.code, res.message).toBe(200);
    expect(res.data).toMatch(new RegExp(`/files/file/\\d{8}/[0-9a-f]{32}\\.${c.ext}$`));
    const served = await fetchUrl(res.data as string);
    expect(served.status).toBe(200);
    expect(served.type).toBe(c.type);
    expect(served.headers.get('content-disposition')).toBeNull();
    expect(served.bytes.equals(bytes)).toBe(true);
  });
});
