// Removes the package's dist/ before a build, so a deleted source file leaves no stale output.
import { rmSync } from 'node:fs';

rmSync('dist', { recursive: true, force: true });
