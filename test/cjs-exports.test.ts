import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { publishablePackages } from './helpers/workspace';

// The CommonJS builds hand their exports over as plain values (scripts/tsup-package.ts): esbuild's
// getters cost two calls and a dictionary lookup on every read of a constant in another package,
// on every model call. Node's ESM import of the CommonJS file must still see every name.
const builds = publishablePackages().flatMap((p) =>
  readdirSync(join(p.dir, 'dist'))
    .filter((f) => f.endsWith('.cjs'))
    .map((f) => [`${p.name}/dist/${f}`, join(p.dir, 'dist', f)] as const)
    // Entry points that export nothing (a CLI, a preload) are not loaded here: loading runs them.
    .filter(([, file]) => readFileSync(file, 'utf8').includes('__toCommonJS(')),
);

describe('CommonJS builds', () => {
  it.each(builds)('%s exports plain values, and the same names to an ESM import', async (_name, file) => {
    const cjs = createRequire(file)(file) as Record<string, unknown>;
    const getters = Object.keys(cjs).filter((k) => Object.getOwnPropertyDescriptor(cjs, k)!.get !== undefined);
    expect(getters).toEqual([]);
    const esm = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    const names = Object.keys(cjs).sort();
    expect(Object.keys(esm).filter((k) => k !== 'default' && k !== 'module.exports').sort()).toEqual(names);
    for (const k of names) expect(typeof esm[k], k).toBe(typeof cjs[k]);
  });
});
