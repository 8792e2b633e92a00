// What a publishable package must pass before it is published, shared by `pnpm check:packages`
// (scripts/check-packages.mjs) and the e2e test test/packages.test.ts.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/**
 * @typedef {object} WorkspacePackage
 * @property {string} name the manifest's `name`
 * @property {string} dir its folder
 * @property {Record<string, any>} manifest its package.json
 */

/**
 * The publishable packages under packages/ (those not marked `private`), in folder order.
 * @param {string} [root] the repository root
 * @returns {WorkspacePackage[]}
 */
export function publishablePackages(root = repoRoot) {
  const dir = join(root, 'packages');
  return readdirSync(dir)
    .sort()
    .map((entry) => {
      const pkgDir = join(dir, entry);
      const manifest = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
      return { name: manifest.name, dir: pkgDir, manifest };
    })
    .filter((p) => !p.manifest.private);
}

/**
 * publint's findings on the package as `pnpm pack` would publish it (suggestions included, strict:
 * warnings count as errors), one readable line each; empty when it is clean. Needs the package built.
 * @param {string} pkgDir
 * @returns {Promise<string[]>}
 */
export async function lintPackedPackage(pkgDir) {
  const { messages, pkg } = await publint({ pkgDir, pack: 'pnpm', level: 'suggestion', strict: true });
  return messages.map((m) => `${m.type}: ${formatMessage(m, pkg, { color: false })}`);
}
