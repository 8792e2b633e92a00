#!/usr/bin/env node
// `pnpm bench`: runs every packages/*/bench/*.mjs and test/bench/*.mjs against the built
// packages, one after another (two noisy cores: never in parallel). Each benchmark
// prints its own figures as ratios measured side by side in one run.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const only = process.argv.slice(2);
const files = [];
for (const dir of [...readdirSync(join(root, 'packages')).map((p) => join(root, 'packages', p, 'bench')), join(root, 'test', 'bench')]) {
  if (!existsSync(dir)) continue;
  for (const f of readdirSync(dir).sort()) if (f.endsWith('.mjs')) files.push(join(dir, f));
}
let failed = 0;
for (const file of files) {
  if (only.length && !only.some((o) => file.includes(o))) continue;
  console.log(`\n=== ${file.slice(root.length)}`);
  const r = spawnSync(process.execPath, ['--expose-gc', file], { stdio: 'inherit', cwd: root });
  if (r.status !== 0) failed++;
}
if (failed) {
  console.error(`${failed} benchmark(s) failed`);
  process.exit(1);
}
