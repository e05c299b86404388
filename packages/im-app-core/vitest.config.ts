import { defineConfig } from 'vitest/config';

/** The client core in plain Node: fake socket, fake clock, fake transport; no timers, no DOM. */
export default defineConfig({
  test: {
    name: 'core',
    root: import.meta.dirname,
    environment: 'node',
    include: ['test/**/*.test.ts'],
  },
});
