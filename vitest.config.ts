import { defaultClientConditions, defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

/**
 * One runner for every workspace. Projects:
 * - server: protocol, process kit, bus, push node, SDK, platform (`inject()` tier) and the
 *   standalone system tests (real ports and sockets), in Node, against real engines
 *   (SQLite always; MariaDB, PostgreSQL, Redis and S3 when their IM_TEST_* variables are set);
 * - core: the client core shared by the web and mobile clients (fake socket and clock);
 * - web: im-web unit tests in happy-dom;
 * - e2e: the web client in headless Chromium against a real standalone server;
 * - e2e-h5: the mobile client's H5 build on a touch phone screen, chatting with im-web users.
 *
 * Workspace packages are resolved through their `source` export condition (TypeScript
 * sources), as `tsc` (customConditions) and the npm scripts (`node --conditions=source`) do.
 */
export default defineConfig({
  resolve: { conditions: ['source', ...defaultClientConditions] },
  ssr: { resolve: { conditions: ['source', ...defaultServerConditions.filter((c) => c !== 'module')] } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'server',
          // Suites build their own servers and databases and mock nothing, so one worker keeps
          // its modules across files instead of loading fastify, kysely, sharp, the drivers and
          // the AWS SDK again for each of them.
          isolate: false,
          environment: 'node',
          include: ['packages/im-{common,process,bus,client,server,platform,standalone}/test/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      './packages/im-app-core/vitest.config.ts',
      './packages/im-web/vitest.config.ts',
      './packages/im-web/vitest.e2e.config.ts',
      './packages/im-uniapp/vitest.e2e.config.mts',
    ],
  },
});
