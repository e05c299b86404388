/**
 * E2E support of the web client: its build, screenshots, and the UI helpers driven through
 * data-test attributes (`testing/`, shared with the mobile client's suites). The server, the
 * browser and the users are the fixture's (`fixture.ts`).
 */
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { buildStale, makePng, screenshot } from '@box-im/im-standalone/testing';
import type { Page } from 'playwright-core';

export * from '../../testing';

export const PKG = resolve(import.meta.dirname, '../..');
export const DIST = join(PKG, 'dist');
export const SHOTS = join(PKG, 'test-results/screenshots');

/** Build dist/ if it is missing or older than the sources. */
export function ensureBuilt(): void {
  const sources = [join(PKG, 'src'), join(PKG, '../im-app-core/src'), join(PKG, 'index.html')];
  if (buildStale(join(DIST, 'index.html'), sources))
    execFileSync('npx', ['vite', 'build'], { cwd: PKG, stdio: 'inherit' });
}

export const shot = (page: Page, name: string): Promise<void> => screenshot(page, SHOTS, name);

export const PNG = makePng(160, 100, [64, 158, 255]);
