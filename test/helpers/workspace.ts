import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const testRoot = join(repoRoot, 'test');

// One list of publishable packages for the tests and `pnpm check:packages`.
export { publishablePackages, type WorkspacePackage } from '../../scripts/package-checks.mjs';
