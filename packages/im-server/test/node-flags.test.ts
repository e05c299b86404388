import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PUSH_NODE_FLAGS } from '../src/node-flags';

const root = new URL('../../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');

/** The command line that starts `packages/im-server/dist/main.js` in a file, as its words. */
function pushNodeCommand(text: string): string[] {
  const line = text
    .split('\n')
    .find((l) => l.includes('packages/im-server/dist/main.js') && !l.trim().startsWith('#'));
  if (!line) throw new Error('no push node command');
  return line.split(/[\s,'"[\]]+/).filter(Boolean);
}

describe('push node flags', () => {
  const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
  it.each([
    ['npm run start:server', scripts['start:server'] ?? ''],
    ['deploy/systemd/box-im-push@.service', read('deploy/systemd/box-im-push@.service')],
    ['deploy/compose.yaml', read('deploy/compose.yaml')],
  ])('%s starts the push node with PUSH_NODE_FLAGS', (_where, text) => {
    const words = pushNodeCommand(text);
    const entry = words.indexOf('packages/im-server/dist/main.js');
    expect(PUSH_NODE_FLAGS.length).toBeGreaterThan(0);
    for (const flag of PUSH_NODE_FLAGS) {
      expect(words).toContain(flag);
      // A Node flag, so before the entry script (after it, it would be the script's argument).
      expect(words.indexOf(flag)).toBeLessThan(entry);
    }
  });
});
