import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintPackedPackage } from '../scripts/package-checks.mjs';
import { publishablePackages, testRoot } from './helpers/workspace';

const packages = publishablePackages();

describe('published packages', () => {
  it('lists every publishable package as a dependency of the test workspace', () => {
    const deps = JSON.parse(readFileSync(join(testRoot, 'package.json'), 'utf8')).devDependencies;
    for (const p of packages) expect(deps, p.name).toHaveProperty(p.name, 'workspace:*');
  });

  // An upper cap inside 1.x makes npm refuse (and pnpm warn about) the next API minor, which the
  // API promises is compatible; instrumentation 0.2xx is SDK 2.x, 0.3xx SDK 3.x.
  it('asks for any @opentelemetry/api 1.x from 1.3 as a peer, and instrumentation 0.2xx or 0.3xx', () => {
    const api = { '@opentelemetry/api': '^1.3.0' };
    const instrumented = { ...api, '@opentelemetry/instrumentation': '>=0.200.0 <0.400.0' };
    expect(Object.fromEntries(packages.map((p) => [p.name, p.manifest.peerDependencies]))).toEqual({
      '@costtrace/budget-span-processor': api,
      '@costtrace/cli': undefined,
      '@costtrace/budget-store-redis': api,
      '@costtrace/core': api,
      '@costtrace/cost-span-processor': api,
      '@costtrace/fake-llm': undefined,
      '@costtrace/instrumentation-anthropic': instrumented,
      '@costtrace/instrumentation-fetch': instrumented,
      '@costtrace/instrumentation-frameworks': instrumented,
      '@costtrace/instrumentation-bedrock': instrumented,
      '@costtrace/instrumentation-openai': instrumented,
      '@costtrace/pipeline': api,
      '@costtrace/pricing': undefined,
      '@costtrace/register': api,
      '@costtrace/semconv': undefined,
    });
  });

  // The same check as `pnpm check:packages`.
  it.each(packages.map((p) => [p.name, p] as const))('%s packs cleanly (publint, suggestions included)', async (_name, p) => {
    expect(await lintPackedPackage(p.dir)).toEqual([]);
  });

  // Every entry point of the exports map, as `import` and as `require`. An entry listed in
  // `sideEffects` (register's `node --import` entry) exports nothing by design.
  const entries = packages.flatMap((p) =>
    Object.keys(p.manifest.exports as Record<string, unknown>)
      .filter((k) => k !== './package.json')
      .map((k) => {
        const target = (p.manifest.exports[k] as { import: { default: string } }).import.default;
        const sideEffect = Array.isArray(p.manifest.sideEffects) && p.manifest.sideEffects.includes(target);
        return [`${p.name}${k.slice(1)}`, sideEffect] as const;
      }),
  );

  it.each(entries)('%s loads as ESM and CommonJS with the same named exports', (specifier, sideEffect) => {
    const env = { ...process.env, OTEL_SDK_DISABLED: 'true' };
    const esm = execFileSync(
      process.execPath,
      ['--input-type=module', '-e', `const m = await import(${JSON.stringify(specifier)}); console.log(JSON.stringify(Object.keys(m).filter(k => k !== 'default').sort()))`],
      { cwd: testRoot, encoding: 'utf8', env },
    );
    const cjs = execFileSync(
      process.execPath,
      ['-e', `const m = require(${JSON.stringify(specifier)}); console.log(JSON.stringify(Object.keys(m).sort()))`],
      { cwd: testRoot, encoding: 'utf8', env },
    );
    const names = JSON.parse(esm) as string[];
    if (sideEffect) expect(names).toEqual([]);
    else expect(names.length).toBeGreaterThan(0);
    expect(JSON.parse(cjs)).toEqual(names);
  });
});
