// Runs `npm run build` when a compiled package is missing or older than its sources, so that
// `npm install && npm start` works on a fresh clone and after a pull. Plain Node, no TypeScript.
// Usage: node scripts/ensure-build.mjs [--backend]   (--backend: leave the web client out)
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const BACKEND = [
  'im-common',
  'im-process',
  'im-bus',
  'im-client',
  'im-server',
  'im-platform',
  'im-standalone',
];

/**
 * Newest modification time of a file, or of the files under a folder (0 when it does not exist).
 * @param {string} dir
 * @returns {number}
 */
function newest(dir) {
  if (!existsSync(dir)) return 0;
  if (statSync(dir).isFile()) return statSync(dir).mtimeMs;
  let max = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) max = Math.max(max, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return max;
}

/**
 * Whether `output` is missing or older than any of `inputs` (files or folders, from the root).
 * @param {string} output
 * @param {string[]} inputs
 * @returns {boolean}
 */
function stale(output, inputs) {
  if (!existsSync(output)) return true;
  const built = statSync(output).mtimeMs;
  return inputs.some((input) => newest(join(root, input)) > built);
}

const backendOnly = process.argv.includes('--backend');
const packages = BACKEND.filter((name) =>
  stale(join(root, 'packages', name, 'dist', 'index.js'), [
    `packages/${name}/src`,
    `packages/${name}/tsconfig.build.json`,
  ]),
);
const web =
  !backendOnly &&
  stale(join(root, 'packages/im-web/dist/index.html'), [
    'packages/im-web/src',
    'packages/im-web/index.html',
    'packages/im-app-core/src',
    'packages/im-common/src',
  ]);

if (packages.length > 0 || web) {
  const what = [...packages, ...(web ? ['im-web'] : [])].join(', ');
  // eslint-disable-next-line no-console -- a command-line helper
  console.log(`build needed (${what}): running npm run build`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const run = spawnSync(npm, ['run', backendOnly ? 'build:backend' : 'build'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (run.status !== 0) process.exit(run.status ?? 1);
}
