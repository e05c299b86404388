/**
 * Writes docs/errors.md from the error catalog (`--check` fails if the file is stale, which a
 * test runs). Usage: `npx tsx scripts/errors-doc.ts [--check]`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { renderErrorsDoc } from './errors-doc-render';

const target = resolve(import.meta.dirname, '../docs/errors.md');
const text = renderErrorsDoc();
if (process.argv.includes('--check')) {
  if (readFileSync(target, 'utf8') !== text) {
    process.stderr.write('docs/errors.md is stale: run npx tsx scripts/errors-doc.ts\n');
    process.exit(1);
  }
} else {
  writeFileSync(target, text);
}
