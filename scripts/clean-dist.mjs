// Removes the package's dist/ (and the build info of `tsc -b`) before a build, so a deleted
// source file leaves no stale output and the compiler cannot skip emitting into the empty dist/.
import { rmSync } from 'node:fs';

rmSync('dist', { recursive: true, force: true });
rmSync('.tsbuild', { recursive: true, force: true });
