import { defaultClientConditions, defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

const backend = process.env.IM_BACKEND ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [vue()],
  // Workspace packages from their TypeScript sources, so the web build needs no backend build first.
  resolve: { conditions: ['source', ...defaultClientConditions] },
  base: './',
  server: {
    proxy: {
      '/api': { target: backend, changeOrigin: true },
      '/im': { target: backend.replace(/^http/, 'ws'), ws: true },
    },
  },
  build: {
    outDir: 'dist',
    chunkSizeWarningLimit: 900,
  },
});
