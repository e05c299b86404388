import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '@box-im/im-platform/testing';
import { form } from '../files/support';

describe('security headers (helmet)', () => {
  let t: TestApp;
  let webRoot: string;
  beforeAll(async () => {
    webRoot = mkdtempSync(join(tmpdir(), 'im-web-root-'));
    writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>x</title>');
    t = await startTestApp({ env: { WEB_ROOT: webRoot }, listen: true });
  });
  afterAll(async () => {
    await t?.close();
    rmSync(webRoot, { recursive: true, force: true });
  });

  it('sends CSP with frame-ancestors, nosniff and Referrer-Policy with the web client', async () => {
    const res = await fetch(`${t.url}/`);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("frame-ancestors 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('strict-transport-security')).toBeNull();
  });

  it('sends them on API answers and errors too', async () => {
    for (const path of ['/api/system/config', '/api/no/such/route']) {
      const res = await fetch(`${t.url}${path}`);
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('content-security-policy'), path).toContain("frame-ancestors 'self'");
    }
  });

  it("keeps /files/*'s own headers", async () => {
    const u = await t.newUser('hdr');
    const up = await u.api.post<string>('/file/upload', form({ bytes: randomBytes(32), name: 'a.bin' }));
    expect(up.code, up.message).toBe(200);
    const res = await fetch(up.data!);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBeNull();
    expect(res.headers.get('referrer-policy')).toBeNull();
    expect(res.headers.get('cross-origin-opener-policy')).toBeNull();
  });
});
