// Runs the uni CLI with CI=1 (no update check phoning home to DCloud), on any OS.
const { spawnSync } = require('node:child_process');
const bin = require.resolve('@dcloudio/vite-plugin-uni/bin/uni.js');
const r = spawnSync(process.execPath, [bin, ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, CI: process.env.CI || '1' },
});
process.exit(r.status ?? 1);
