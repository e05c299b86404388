import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import helmet from 'helmet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECURITY_HEADER_OPTIONS } from '../../src/http/security-headers';
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

  it('sends exactly what helmet itself sends per request (headers computed once at start-up)', async () => {
    // The reference: helmet's middleware built and run on every request, as @fastify/helmet did.
    const reference = createServer((req, res) =>
      helmet(SECURITY_HEADER_OPTIONS)(req, res, () => res.end('x')),
    );
    await new Promise<void>((ok) => reference.listen(0, '127.0.0.1', ok));
    try {
      const port = (reference.address() as AddressInfo).port;
      const expected = [...(await fetch(`http://127.0.0.1:${port}/`)).headers].filter(
        ([name]) =>
          !['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding'].includes(name),
      );
      expect(expected.length).toBeGreaterThan(8);
      for (const path of ['/', '/api/system/config', '/api/no/such/route']) {
        const ours = (await fetch(`${t.url}${path}`)).headers;
        for (const [name, value] of expected) expect(ours.get(name), `${path} ${name}`).toBe(value);
        expect(ours.get('x-powered-by'), path).toBeNull();
      }
    } finally {
      await new Promise((done) => reference.close(done));
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
