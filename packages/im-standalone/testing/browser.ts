/**
 * Browsers for end-to-end tests of any web client (im-web today, the uni-app H5 build next):
 * Debian's chromium, driven by playwright-core. Never a downloaded browser.
 */
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** The chromium to drive: IM_TEST_CHROMIUM, default Debian's `/usr/bin/chromium`. */
export function chromiumPath(): string {
  return process.env['IM_TEST_CHROMIUM'] || '/usr/bin/chromium';
}

/** Headless chromium with what a CI machine needs (no sandbox, no GPU, no background traffic). */
export function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...extraArgs,
    ],
  });
}

/** A browser user: its own context (storage, cookies) on `baseURL`, page errors logged. */
export async function browserUser(
  browser: Browser,
  baseURL: string,
  options: {
    locale?: string;
    viewport?: { width: number; height: number };
    /** A phone: touch events and the mobile viewport meta honoured. */
    touch?: boolean;
  } = {},
): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await browser.newContext({
    baseURL,
    viewport: options.viewport ?? { width: 1280, height: 800 },
    locale: options.locale ?? 'zh-CN',
    ...(options.touch ? { hasTouch: true, isMobile: true, deviceScaleFactor: 2 } : {}),
  });
  ctx.setDefaultTimeout(15_000);
  const page = await ctx.newPage();
  page.on('pageerror', (e) => process.stderr.write(`[pageerror] ${e.message}\n`));
  return { ctx, page };
}
