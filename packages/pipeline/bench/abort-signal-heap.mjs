// Model calls (250,000 by default; the README figure is from 1,000,000) under one long-lived caller AbortSignal: heap growth and listeners left
// on that signal, with costtrace's per-call controller (listener removed when the call ends)
// side by side with AbortSignal.any() (what the contract forbids: it keeps every derived signal).
// Each call goes through InferenceCall (span start, gate, end) as an instrumented call does.
// Run after `pnpm build`: node --expose-gc packages/pipeline/bench/abort-signal-heap.mjs [calls]
import { getEventListeners } from 'node:events';
import { trace } from '@opentelemetry/api';
import { InferenceCall } from '../dist/index.js';

if (typeof globalThis.gc !== 'function') {
  console.error('run with --expose-gc');
  process.exit(2);
}
const CALLS = Number(process.argv[2] ?? 250_000); // `pnpm bench` keeps to ten minutes; 1_000_000 for the README figure
const diag = { error() {}, warn() {}, info() {}, debug() {}, verbose() {} };
const tracer = trace.getTracer('bench'); // no SDK registered: non-recording spans, the lifecycle itself is measured

function heapMiB() {
  globalThis.gc();
  globalThis.gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

function costtraceCalls(signal) {
  for (let i = 0; i < CALLS; i++) {
    const call = InferenceCall.start({
      tracer,
      diag,
      provider: 'openai',
      operation: 'chat',
      requestModel: 'gpt-4o-mini',
      streaming: false,
      estimate: { inputTokens: 10, choices: 1 },
      callerSignal: signal,
    });
    call.end();
  }
}

const retained = [];
function abortSignalAnyCalls(signal) {
  for (let i = 0; i < CALLS; i++) {
    const own = new AbortController();
    retained.push(AbortSignal.any([signal, own.signal]).aborted); // the derived signal is what the SDK would hold
  }
}

function measure(label, fn) {
  const longLived = new AbortController();
  const before = heapMiB();
  const t0 = process.hrtime.bigint();
  fn(longLived.signal);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const after = heapMiB();
  const listeners = getEventListeners(longLived.signal, 'abort').length;
  console.log(`${label.padEnd(34)} heap growth ${(after - before).toFixed(2).padStart(8)} MiB, listeners left ${String(listeners).padStart(8)}, ${(ms * 1e6 / CALLS).toFixed(0)} ns/call`);
  return { growth: after - before, listeners };
}

console.log(`${CALLS.toLocaleString()} calls under one long-lived caller signal (Node ${process.versions.node})`);
const ours = measure('costtrace (InferenceCall+CallAbort)', costtraceCalls);
const any = measure('AbortSignal.any (for comparison)', abortSignalAnyCalls);
console.log(`heap growth ratio costtrace/AbortSignal.any: ${(ours.growth / Math.max(any.growth, 1e-9)).toFixed(4)}`);
if (ours.listeners !== 0) {
  console.error('FAIL: listeners left on the caller signal');
  process.exit(1);
}
