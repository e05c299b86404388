// `npm run build:backend`: compiles every backend package in one compiler process (`tsc -b`
// over the packages' project references, in dependency order), then gives relative imports
// their `.js` (tsc-alias, in this process). Output as each package's own `npm run build`:
// packages/<name>/dist with declarations and source maps. Always a clean build.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { replaceTscAliasPaths } from 'tsc-alias';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** In dependency order (`tsc -b` follows the references anyway). */
const PACKAGES = [
  'im-common',
  'im-process',
  'im-bus',
  'im-client',
  'im-server',
  'im-platform',
  'im-standalone',
];
const configOf = (name) => join(root, 'packages', name, 'tsconfig.build.json');

for (const name of PACKAGES) {
  rmSync(join(root, 'packages', name, 'dist'), { recursive: true, force: true });
  rmSync(join(root, 'packages', name, '.tsbuild'), { recursive: true, force: true });
}
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const build = spawnSync(process.execPath, [tsc, '-b', ...PACKAGES.map(configOf)], {
  cwd: root,
  stdio: 'inherit',
});
if (build.status !== 0) process.exit(build.status ?? 1);
for (const name of PACKAGES)
  await replaceTscAliasPaths({ configFile: configOf(name), resolveFullPaths: true });
