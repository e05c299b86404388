import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The web client's production build (`npm run build:web`), when it has been built. */
export function builtWebClient(): string | undefined {
  let pkg: string;
  try {
    pkg = createRequire(import.meta.url).resolve('@box-im/im-web/package.json');
  } catch {
    return undefined;
  }
  const dist = join(dirname(pkg), 'dist');
  return existsSync(join(dist, 'index.html')) ? dist : undefined;
}
