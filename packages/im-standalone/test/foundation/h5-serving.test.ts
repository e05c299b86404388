/**
 * The H5 mobile client at `/h5/` next to the web client, API and WebSocket on one port:
 * its files, `/h5` → `/h5/`, the index for unknown pages (single-page app), and a missing
 * build that leaves the server starting without it.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../testing';

describe('H5 client at /h5/', () => {
  const root = mkdtempSync(join(tmpdir(), 'im-h5-'));
  let server: TestServer;

  beforeAll(async () => {
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>h5</title><div id="app"></div>');
    writeFileSync(join(root, 'assets', 'index-abc.js'), 'console.log(1)');
    server = await startTestServer({ h5Root: root });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('serves the build, redirects /h5 and falls back to the index for pages', async () => {
    const index = await fetch(`${server.url}/h5/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toMatch(/text\/html/);
    expect(await index.text()).toContain('<title>h5</title>');

    const asset = await fetch(`${server.url}/h5/assets/index-abc.js`);
    expect(asset.status).toBe(200);
    expect(await asset.text()).toBe('console.log(1)');

    const bare = await fetch(`${server.url}/h5`, { redirect: 'manual' });
    expect(bare.status).toBe(302);
    expect(bare.headers.get('location')).toBe('/h5/');

    const page = await fetch(`${server.url}/h5/pages/chat/chat`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>h5</title>');

    expect((await fetch(`${server.url}/h5/assets/missing.js`)).status).toBe(404);
    // The API is untouched.
    const api = await (await fetch(`${server.url}/api/nope`)).json();
    expect(api).toMatchObject({ code: expect.any(Number) });
  });

  it('starts without the H5 client when its folder has no build', async () => {
    const other = await startTestServer({ h5Root: join(root, 'not-built') });
    try {
      expect((await fetch(`${other.url}/h5/`)).status).toBe(404);
      expect((await fetch(`${other.url}/api/doc/json`)).status).toBe(200);
    } finally {
      await other.close();
    }
  });
});
