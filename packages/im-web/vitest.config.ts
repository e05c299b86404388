import { defineConfig } from 'vitest/config';
import vue from '@vitejs/plugin-vue';

/** Unit tests: stores, merge logic, ws state machine, i18n — in happy-dom. */
export default defineConfig({
  plugins: [vue()],
  test: {
    name: 'web',
    root: import.meta.dirname,
    environment: 'happy-dom',
    include: ['test/unit/**/*.test.ts'],
  },
});
