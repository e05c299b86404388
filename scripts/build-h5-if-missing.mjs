// `npm start`: build the mobile client's H5 bundle once, when it is missing (it is served at
// /h5/). Rebuild after changes with `npm run build:h5`. A failed build does not stop the server.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'packages', 'im-uniapp');
if (!existsSync(join(dir, 'dist', 'build', 'h5', 'index.html')) && existsSync(join(dir, 'node_modules'))) {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['run', 'build:h5'], { cwd: dir, stdio: 'inherit' });
  if (r.status !== 0)
    process.stderr.write('H5 build failed: /h5/ will not be served (run npm run build:h5)\n');
}
