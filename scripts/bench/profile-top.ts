/**
 * `tsx scripts/bench/profile-top.ts FILE.cpuprofile [N]`: the N functions with the most self
 * time in a V8 CPU profile (from `--cpu-prof`), as a Markdown table, so that docs can quote
 * the top of a profile without committing it.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, n = '25'] = process.argv.slice(2);
if (!file) throw new Error('usage: profile-top.ts FILE.cpuprofile [N]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const self = new Map<string, number>();
let total = 0;
profile.samples.forEach((id, i) => {
  const dt = profile.timeDeltas[i] ?? 0;
  const frame = byId.get(id)?.callFrame;
  if (!frame) return;
  const where = frame.url
    .replace(/^.*node_modules\//, '')
    .replace(/^.*\/packages\//, '')
    .replace(/^file:\/\//, '');
  const name =
    `${frame.functionName || '(anonymous)'} ${where ? `${where}:${frame.lineNumber + 1}` : ''}`.trim();
  self.set(name, (self.get(name) ?? 0) + dt);
  total += dt;
});
const idle = self.get('(idle)') ?? 0;
const busy = total - idle;
process.stdout.write(`busy ${(busy / 1000).toFixed(0)} ms of ${(total / 1000).toFixed(0)} ms sampled\n\n`);
process.stdout.write('| self time | % of busy | function |\n|---|---|---|\n');
for (const [name, us] of [...self]
  .filter(([k]) => k !== '(idle)')
  .sort((a, b) => b[1] - a[1])
  .slice(0, Number(n)))
  process.stdout.write(
    `| ${(us / 1000).toFixed(0)} ms | ${((100 * us) / busy).toFixed(1)} % | \`${name}\` |\n`,
  );
