// Abort latency: time from the usage update that crosses a scope's limit to
// every in-flight call's AbortSignal firing, against the BUILT dist.
//   pnpm --filter @costtrace/budget-span-processor build && node packages/budget-span-processor/bench/abort-latency.mjs
// Side by side, the same fan-out aborted with bare AbortControllers (no budget
// machinery, default stack traces): the ratio is what the processor adds on this machine.
// Node's own AbortController.abort() + event dispatch is most of the cost per call.
import { context, diag, trace } from '@opentelemetry/api';
import { TracerProvider } from '@opentelemetry/sdk-trace';
import { InferenceCall } from '@costtrace/pipeline';
import { BudgetSpanProcessor } from '../dist/index.js';

const TRIALS = Number(process.env.TRIALS ?? 400);
const WARMUP = 50;
const FANOUTS = [6, 50];

const processor = new BudgetSpanProcessor();
const provider = new TracerProvider({ spanProcessors: [processor] });
const tracer = provider.getTracer('bench');

function trial(n) {
  const budget = tracer.startSpan('agent', { attributes: { 'costtrace.budget.limit_usd': 1 } });
  const parentContext = trace.setSpan(context.active(), budget);
  const fired = new Array(n);
  const calls = [];
  for (let i = 0; i < n; i++) {
    const call = InferenceCall.start({
      tracer, diag, provider: 'openai', operation: 'chat', requestModel: 'gpt-4o-mini', streaming: true,
      estimate: { inputTokens: 100, choices: 1 }, parentContext,
    });
    call.signal.addEventListener('abort', () => { fired[i] = process.hrtime.bigint(); });
    calls.push(call);
  }
  // $1 at $0.60/MTok output: 1,666,667 output tokens cross it. Everyone streams a little first.
  for (const call of calls) call.recordUsage({ inputTokens: 100, outputTokens: 1000 }, true);
  const t0 = process.hrtime.bigint();
  calls[0].recordUsage({ inputTokens: 100, outputTokens: 2_000_000 }, true);
  const latencies = fired.map((t) => Number(t - t0) / 1000);
  for (const call of calls) call.end();
  budget.end();
  return { first: Math.min(...latencies), last: Math.max(...latencies) };
}

function bare(n) {
  const controllers = [];
  const fired = new Array(n);
  for (let i = 0; i < n; i++) {
    const c = new AbortController();
    c.signal.addEventListener('abort', () => { fired[i] = process.hrtime.bigint(); });
    controllers.push(c);
  }
  const t0 = process.hrtime.bigint();
  for (const c of controllers) c.abort(new DOMException('budget', 'AbortError'));
  const latencies = fired.map((t) => Number(t - t0) / 1000);
  return { first: Math.min(...latencies), last: Math.max(...latencies) };
}

const pct = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
const fmt = (v) => v.toFixed(1).padStart(7);

console.log(`abort latency, µs from the crossing usage update (${TRIALS} trials each, node ${process.version})`);
console.log('calls | budget first p50  p99 | budget all-aborted p50  p99 | bare AbortController all p50  p99 | ratio p50');
for (const n of FANOUTS) {
  for (let i = 0; i < WARMUP; i++) { trial(n); bare(n); }
  const b = [];
  const r = [];
  // With --expose-gc, collect between trials so a pause from the setup does not land in the measure.
  for (let i = 0; i < TRIALS; i++) {
    globalThis.gc?.();
    b.push(trial(n));
    globalThis.gc?.();
    r.push(bare(n));
  }
  const allB = b.map((x) => x.last);
  const allR = r.map((x) => x.last);
  console.log(
    `${String(n).padStart(5)} | ${fmt(pct(b.map((x) => x.first), 50))} ${fmt(pct(b.map((x) => x.first), 99))} | ` +
      `${fmt(pct(allB, 50))} ${fmt(pct(allB, 99))} | ${fmt(pct(allR, 50))} ${fmt(pct(allR, 99))} | ` +
      `${(pct(allB, 50) / pct(allR, 50)).toFixed(2)}x`,
  );
}
await provider.shutdown();
await processor.shutdown();
