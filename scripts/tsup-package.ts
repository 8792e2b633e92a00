import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { defineConfig, type Options } from 'tsup';

/**
 * The build every publishable package shares: ESM and CommonJS with types for each
 * (`index.js`/`index.d.ts` and `index.cjs`/`index.d.cts`), for Node 20.6+.
 */
export function packageBuild(overrides: Options = {}) {
  return defineConfig({
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'node20',
    onSuccess: () => plainCommonJsExports('dist'),
    ...overrides,
  });
}

/**
 * esbuild's CommonJS output exports through getters (`module.exports` gets one getter per name,
 * each calling another on the module's export object, which holds hundreds of names in dictionary
 * mode): every `import_semconv.ATTR_…` read in another package's CommonJS build is two calls and a
 * dictionary lookup, on every model call (a tenth of costtrace's own CPU per call, profiled). Once
 * the module has run, its exports never change (no package exports a `let`), so they are handed
 * over as plain values: the early getter object stays for the module's own run, and the last line
 * replaces it with a copy whose properties are values. Lines are only appended (source maps hold).
 */
export async function plainCommonJsExports(dir: string): Promise<void> {
  for (const file of await readdir(dir)) {
    if (!file.endsWith('.cjs')) continue;
    const path = join(dir, file);
    const text = await readFile(path, 'utf8');
    const found = /^module\.exports = __toCommonJS\((\w+)\);$/m.exec(text);
    if (found === null || text.includes('__plainExports(')) continue;
    const tail =
      `\n// costtrace build (scripts/tsup-package.ts): the exports as plain values, not getters.\n` +
      `module.exports = __plainExports(${found[1]});\n` +
      'function __plainExports(mod) {\n' +
      '  const out = Object.defineProperty({}, "__esModule", { value: true });\n' +
      '  for (const key of Object.getOwnPropertyNames(mod)) Object.defineProperty(out, key, { value: mod[key], enumerable: true });\n' +
      '  return out;\n' +
      '}\n';
    const map = text.lastIndexOf('\n//# sourceMappingURL=');
    await writeFile(path, map < 0 ? text + tail : text.slice(0, map) + tail + text.slice(map));
  }
}
