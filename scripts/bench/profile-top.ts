/**
 * `tsx scripts/bench/profile-top.ts FILE.cpuprofile [N]`: the N functions with the most self
 * time in a V8 CPU profile (from `--cpu-prof`), as a Markdown table, so that docs can quote
 * the top of a profile without committing it.
 */
import { readProfile, selfByLabel } from './cpuprofile';

const [file, n = '25'] = process.argv.slice(2);
if (!file) throw new Error('usage: profile-top.ts FILE.cpuprofile [N]');
const { self, busy, total } = selfByLabel(readProfile(file));
process.stdout.write(`busy ${(busy / 1000).toFixed(0)} ms of ${(total / 1000).toFixed(0)} ms sampled\n\n`);
process.stdout.write('| self time | % of busy | function |\n|---|---|---|\n');
for (const [name, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(n)))
  process.stdout.write(
    `| ${(us / 1000).toFixed(0)} ms | ${((100 * us) / busy).toFixed(1)} % | \`${name}\` |\n`,
  );
