import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const testRoot = join(repoRoot, 'test');

export interface WorkspacePackage {
  name: string;
  dir: string;
  manifest: Record<string, any>;
}

/** The publishable packages under packages/, read from their manifests. */
export function publishablePackages(): WorkspacePackage[] {
  const dir = join(repoRoot, 'packages');
  return readdirSync(dir)
    .map((entry) => {
      const pkgDir = join(dir, entry);
      const manifest = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
      return { name: manifest.name as string, dir: pkgDir, manifest };
    })
    .filter((p) => !p.manifest.private);
}
