import { defineConfig } from 'vitest/config';

// One run covers every package's unit tests and the root cross-package tests.
// CI asks for a JSON report too (COSTTRACE_TEST_REPORT) so .ci/run can print
// its plain "N passed, N failed" line across both Node legs.
const report = process.env.COSTTRACE_TEST_REPORT;

export default defineConfig({
  test: {
    projects: ['packages/*/vitest.config.ts', 'test/vitest.config.ts'],
    // Vitest's default is one worker per core less one: a single worker on a 2-core machine. Most
    // of the suite's time is out-of-process tests waiting on their child apps, so three workers
    // overlap that waiting.
    maxWorkers: 3,
    reporters: report ? ['default', ['json', { outputFile: report }]] : ['default'],
  },
});
