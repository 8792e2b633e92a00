// Scale suite: 100,000 budgeted runs one after another in a child process under
// `node --expose-gc --import @costtrace/register` (apps/sequential-runs.mjs): the heap, after full
// collections, stays flat once the first 10,000 have run (costtrace's bounded state has filled),
// and no call is left open. No timing is asserted.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { testRoot } from '../../helpers/workspace';

const RUNS = 100_000;
const WARMUP = 10_000;
// Measured here: about 1.4 MB from 10,000 to 60,000 runs (bounded caches still settling), then
// tens of KB per 10,000; a leak of one small object per run would pass 10 MB.
const GROWTH_BOUND_BYTES = 4 * 1024 * 1024;

it(`${RUNS.toLocaleString('en')} sequential budgeted runs: heap flat after the first ${WARMUP.toLocaleString('en')}, nothing left open`, () => {
  const child = spawnSync(process.execPath, ['--expose-gc', '--import', '@costtrace/register', join(testRoot, 'suites', 'scale', 'apps', 'sequential-runs.mjs')], {
    cwd: testRoot,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      OTEL_TRACES_EXPORTER: 'none',
      OTEL_METRICS_EXPORTER: 'none',
      RUNS: String(RUNS),
      WARMUP: String(WARMUP),
      SDK_EVERY: '20',
    },
    encoding: 'utf8',
    timeout: 240_000,
  });
  expect([child.status, child.signal]).toEqual([0, null]);
  // The one warning expected: the app's own model-call spans are charged after the fact (said once).
  const lines = child.stderr.split('\n').filter(Boolean);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^\[costtrace\] warn: BudgetSpanProcessor: a model call from "costtrace-scale-app" .* without passing the budget gate/);
  const result = JSON.parse(child.stdout.trim()) as { runs: number; warm: number; end: number; open: number };
  process.stdout.write(`scale: heap after ${WARMUP} runs ${result.warm} B, after ${RUNS} ${result.end} B (growth ${result.end - result.warm} B)\n`);
  expect(result.runs).toBe(RUNS);
  expect(result.open).toBe(0);
  expect(result.end - result.warm).toBeLessThan(GROWTH_BOUND_BYTES);
}, 300_000);
