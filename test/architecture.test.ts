// ARCHITECTURE.md is checked against the code: what each package imports, where global state
// lives, and how long a source file may grow.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/workspace';

const packagesDir = join(repoRoot, 'packages');
const packageDirs = readdirSync(packagesDir).filter((d) => statSync(join(packagesDir, d)).isDirectory());

/** `| \`name\` (…) | may import | role |` rows of ARCHITECTURE.md's package table. */
function allowedImports(): Map<string, Set<string>> {
  const text = readFileSync(join(repoRoot, 'ARCHITECTURE.md'), 'utf8');
  const table = text.slice(text.indexOf('| package | may import'), text.indexOf('\n\n', text.indexOf('| package | may import')));
  const allowed = new Map<string, Set<string>>();
  for (const row of table.split('\n').slice(2)) {
    const [names, imports] = row.split('|').slice(1, 3);
    if (names === undefined || imports === undefined) continue;
    const may = imports.trim() === 'all of the above' ? new Set(['*']) : new Set(imports.split(',').map((s) => s.trim()).filter((s) => s !== '–'));
    for (const m of names.matchAll(/`([a-z-]+)`/g)) allowed.set(m[1]!, may);
  }
  return allowed;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(path));
    else if (entry.name.endsWith('.ts')) out.push(path);
  }
  return out;
}

const srcOf = (pkg: string) => {
  const dir = join(packagesDir, pkg, 'src');
  try {
    return sourceFiles(dir);
  } catch {
    return [];
  }
};

describe('ARCHITECTURE.md matches the code', () => {
  const allowed = allowedImports();

  it('lists every package', () => {
    expect([...allowed.keys()].sort()).toEqual([...packageDirs].sort());
  });

  it.each(packageDirs)('%s imports (in src and package.json dependencies) only the packages it may', (pkg) => {
    const may = allowed.get(pkg) ?? new Set<string>();
    const imported = new Set<string>();
    for (const file of srcOf(pkg)) {
      for (const m of readFileSync(file, 'utf8').matchAll(/from '@costtrace\/([a-z-]+)(?:\/[^']*)?'/g)) imported.add(m[1]!);
    }
    const manifest = JSON.parse(readFileSync(join(packagesDir, pkg, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    for (const dep of Object.keys(manifest.dependencies ?? {})) if (dep.startsWith('@costtrace/')) imported.add(dep.slice('@costtrace/'.length));
    imported.delete(pkg);
    const forbidden = may.has('*') ? [] : [...imported].filter((i) => !may.has(i));
    expect(forbidden).toEqual([]);
  });

  // The one exception, documented in ARCHITECTURE.md: the fetch instrumentation wraps the
  // process's global `fetch`, which is the app's, not costtrace state.
  it('keeps global state only in the documented registry, and wraps the global fetch in one documented file', () => {
    const users = packageDirs.flatMap((pkg) => srcOf(pkg).filter((f) => /\bglobalThis\b/.test(readFileSync(f, 'utf8'))));
    expect(users.map((f) => f.slice(repoRoot.length + 1)).sort()).toEqual([
      'packages/instrumentation-fetch/src/global-fetch.ts',
      'packages/pipeline/src/registry.ts',
    ]);
  });

  it('has no source file past 400 lines', () => {
    const long = packageDirs
      .flatMap((pkg) => srcOf(pkg))
      .map((f) => [f.slice(repoRoot.length + 1), readFileSync(f, 'utf8').split('\n').length] as const)
      .filter(([, lines]) => lines > 400);
    expect(long).toEqual([]);
  });
});
