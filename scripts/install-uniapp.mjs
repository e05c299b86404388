// Root `postinstall`: installs the mobile client (packages/im-uniapp) from its own lockfile.
// It is not a workspace: uni-app pins Vue 3.4 / Vite 5, which must not meet im-web's newer
// ones in the root node_modules. Skipped with IM_SKIP_UNIAPP_INSTALL=1, or when its
// node_modules already matches its lockfile (npm writes node_modules/.package-lock.json).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'packages', 'im-uniapp');
if (process.env.IM_SKIP_UNIAPP_INSTALL === '1') process.exit(0);
if (!existsSync(join(dir, 'package-lock.json'))) process.exit(0);

const lock = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8'));
const installed = join(dir, 'node_modules', '.package-lock.json');
if (existsSync(installed)) {
  const have = JSON.parse(readFileSync(installed, 'utf8'));
  // Optional packages (other platforms' binaries) are legitimately absent.
  const want = Object.keys(lock.packages ?? {}).filter(
    (k) => k.startsWith('node_modules/') && !lock.packages[k].optional,
  );
  if (want.every((k) => have.packages?.[k]?.version === lock.packages[k].version)) process.exit(0);
}

process.stdout.write('installing packages/im-uniapp (npm ci)\n');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const r = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], {
  cwd: dir,
  stdio: 'inherit',
  env: { ...process.env, CI: process.env.CI || '1' },
});
process.exit(r.status ?? 1);
