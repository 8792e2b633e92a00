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
    ...overrides,
  });
}
