import { defineConfig } from 'vitest/config';

/**
 * One runner for every workspace. Projects:
 * - server: protocol, bus, push node, SDK and platform tests in Node, against real engines
 *   (SQLite always; MariaDB, PostgreSQL, Redis and S3 when their IM_TEST_* variables are set);
 * - core: the client core shared by the web and mobile clients (fake socket and clock);
 * - web: im-web unit tests in happy-dom;
 * - e2e: the web client in headless Chromium against a real standalone server.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'server',
          environment: 'node',
          include: ['packages/im-{common,bus,client,server,platform}/test/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      './packages/im-app-core/vitest.config.ts',
      './packages/im-web/vitest.config.ts',
      './packages/im-web/vitest.e2e.config.ts',
    ],
  },
});
