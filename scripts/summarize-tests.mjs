#!/usr/bin/env node
// Reads vitest JSON reports (one per CI leg) and prints the plain closing line
// CI reads: "N passed, N failed". A leg whose report is missing or unreadable
// counts as one failure, so a crash can never read as green.
import { readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
let skipped = 0;
for (const arg of process.argv.slice(2)) {
  const [label, file] = arg.split('=');
  try {
    const r = JSON.parse(readFileSync(file, 'utf8'));
    const legFailed = r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0) + countFailedSuites(r);
    console.log(`${label}: ${r.numPassedTests} passed, ${legFailed} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
    passed += r.numPassedTests;
    failed += legFailed;
    skipped += r.numPendingTests + r.numTodoTests;
  } catch (err) {
    console.log(`${label}: no test report (${err.code ?? err.message})`);
    failed += 1;
  }
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);

// A file that fails to load reports no failed test, only a failed suite.
function countFailedSuites(r) {
  return (r.testResults ?? []).filter((s) => s.status === 'failed' && (s.assertionResults ?? []).length === 0).length;
}
