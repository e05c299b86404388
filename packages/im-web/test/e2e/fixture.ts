/**
 * The one fixture of the web client's end-to-end files: the client built, a standalone
 * server serving it (fresh data folder), headless chromium and one browser user per name.
 * Each file calls `useE2E()` once at the top level; everything is closed after the file,
 * and a failing test leaves screenshots of every page. Accounts and friendships that a
 * file does not test through the UI are made through the API (`server.account(...)`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  browserUser,
  launchChromium,
  startTestServer,
  testFileName,
  type TestServer,
} from '@box-im/im-standalone/testing';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { DIST, ensureBuilt, shot } from './support';

export interface E2EOptions {
  /** Browser users to open, by name. @default ['a', 'b'] */
  users?: string[];
  /** Server configuration variables. */
  env?: Record<string, string>;
  /** Extra chromium flags (e.g. fake media devices). */
  browserArgs?: string[];
  /** Permissions granted to every browser user (e.g. camera). */
  permissions?: string[];
}

export interface BrowserUser {
  ctx: BrowserContext;
  page: Page;
}

export interface E2E {
  readonly server: TestServer;
  readonly browser: Browser;
  /** The page of browser user `name`. */
  page(name: string): Page;
  user(name: string): BrowserUser;
  /** Stop the server and start it again on the same port and data (clients reconnect). */
  restartServer(): Promise<void>;
}

export function useE2E(options: E2EOptions = {}): E2E {
  const names = options.users ?? ['a', 'b'];
  const dataDir = mkdtempSync(join(tmpdir(), 'im-web-e2e-'));
  const users = new Map<string, BrowserUser>();
  const cspViolations: string[] = [];
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  const start = (port = 0) =>
    startTestServer({ port, dataDir, webRoot: DIST, env: { LOG_LEVEL: 'warn', ...options.env } });

  beforeAll(async () => {
    ensureBuilt();
    server = await start();
    browser = await launchChromium(options.browserArgs);
    for (const name of names) {
      const user = await browserUser(browser, server.url);
      if (options.permissions) await user.ctx.grantPermissions(options.permissions);
      // The server's Content-Security-Policy must let the client do everything it does.
      user.page.on('console', (m) => {
        if (m.type() === 'error' && /Content Security Policy/i.test(m.text()))
          cspViolations.push(`${name}: ${m.text()}`);
      });
      users.set(name, user);
    }
  });

  afterEach(async (ctx) => {
    expect(cspViolations.splice(0), 'CSP violations').toEqual([]);
    if (ctx.task.result?.state !== 'fail') return;
    const test = testFileName(ctx.task.name);
    for (const [name, user] of users) await shot(user.page, `fail-${test}-${name}`).catch(() => undefined);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const required = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is not started (useE2E runs in beforeAll)`);
    return value;
  };
  return {
    get server() {
      return required(server, 'the server');
    },
    get browser() {
      return required(browser, 'the browser');
    },
    user: (name) => required(users.get(name), `browser user ${name}`),
    page: (name) => required(users.get(name), `browser user ${name}`).page,
    async restartServer() {
      const { port } = required(server, 'the server');
      await server!.close();
      server = await start(port);
    },
  };
}
