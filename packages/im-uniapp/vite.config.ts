import { resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import uni from '@dcloudio/vite-plugin-uni';

const here = (p: string) => resolve(__dirname, p);

/**
 * uni's H5 runtime CSS points at images on DCloud's CDN (nav-bar shadows). Users' browsers
 * must not fetch third-party files (CSP, intranets, offline installs): drop those references.
 */
function noCdn(): Plugin {
  const CDN = /url\(\s*["']?https?:\/\/cdn\.dcloud\.net\.cn\/[^)]*\)/g;
  return {
    name: 'im-no-cdn',
    enforce: 'post',
    generateBundle(_options, bundle) {
      for (const file of Object.values(bundle)) {
        if (file.type === 'asset' && typeof file.source === 'string')
          file.source = file.source.replace(CDN, 'none');
        else if (file.type === 'chunk') file.code = file.code.replace(CDN, 'none');
      }
    },
  };
}

const backend = process.env.IM_BACKEND ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [uni(), noCdn()],
  // The core's sources sit under the repository's TypeScript 6 tsconfig (target ES2023), which
  // this Vite's esbuild does not know: give esbuild its options directly.
  esbuild: { tsconfigRaw: { compilerOptions: { target: 'es2020', useDefineForClassFields: true } } },
  resolve: {
    alias: {
      // The shared client core and wire types, as TypeScript sources (not a workspace here).
      // (the more specific entry first: a string alias also matches `name/…`)
      '@box-im/im-app-core/browser': here('../im-app-core/browser/index.ts'),
      '@box-im/im-app-core': here('../im-app-core/src/index.ts'),
      '@box-im/im-common': here('../im-common/src/index.ts'),
    },
  },
  server: {
    fs: { allow: [here('..'), here('../../node_modules')] },
    proxy: {
      '/api': { target: backend, changeOrigin: true },
      '/im': { target: backend.replace(/^http/, 'ws'), ws: true },
    },
  },
});
