import { defineConfig } from 'vitest/config';

/**
 * The H5 build of the mobile client in headless Chromium (390×844, touch) against a standalone
 * server that also serves im-web, so the same users chat across both clients.
 */
export default defineConfig({
  // Workspace packages from their TypeScript sources (`source`), built or not; the test process
  // runs in Node, so the server-side resolution needs the condition too.
  resolve: { conditions: ['source', 'module', 'node', 'default'] },
  ssr: { resolve: { conditions: ['source', 'node'] } },
  test: {
    name: 'e2e-h5',
    root: import.meta.dirname,
    environment: 'node',
    include: ['test/e2e/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    fileParallelism: false,
  },
});
