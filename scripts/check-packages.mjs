#!/usr/bin/env node
// `pnpm check:packages`: publint on every publishable package as packed for publishing (after
// `pnpm build`); exits 1 with every problem listed by package. The same check runs in
// test/packages.test.ts.
import { relative } from 'node:path';
import { lintPackedPackage, publishablePackages, repoRoot } from './package-checks.mjs';

const packages = publishablePackages();
const failures = [];
for (const p of packages) {
  let problems;
  try {
    problems = await lintPackedPackage(p.dir);
  } catch (err) {
    problems = [`publint could not check it: ${err instanceof Error ? err.message : String(err)}`];
  }
  console.log(`${problems.length === 0 ? 'ok  ' : 'FAIL'} ${p.name} (${relative(repoRoot, p.dir)})`);
  if (problems.length > 0) failures.push({ name: p.name, problems });
}

if (failures.length > 0) {
  console.error(`\n${failures.length} of ${packages.length} packages have problems:`);
  for (const f of failures) {
    console.error(`\n${f.name}`);
    for (const problem of f.problems) console.error(`  - ${problem}`);
  }
  if (failures.some((f) => f.problems.some((m) => /does not exist/i.test(m)))) {
    console.error('\nA file that does not exist may just be unbuilt: `pnpm check:packages` builds first, `node scripts/check-packages.mjs` does not.');
  }
  process.exit(1);
}
console.log(`\n${packages.length} packages pass publint.`);
