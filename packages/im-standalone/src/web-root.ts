import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

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

/**
 * The mobile client's H5 build (`npm run build:h5`), when it has been built. im-uniapp is not
 * a workspace (its own lockfile), so it is found next to this package.
 */
export function builtH5Client(): string | undefined {
  const dist = fileURLToPath(new URL('../../im-uniapp/dist/build/h5', import.meta.url));
  return existsSync(join(dist, 'index.html')) ? dist : undefined;
}
