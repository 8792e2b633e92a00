// CPU per span of costtrace's two span processors, measured side by side in one run against the
// BUILT packages (`pnpm bench` builds first; alone: `pnpm build && node --expose-gc
// packages/cost-span-processor/bench/overhead.mjs [traces-per-round] [heap-traces]`).
//
// Each trace is run → agent → 3 inference spans with usage (5 spans). Pipelines:
//   bare            a TracerProvider with a no-op exporting processor only
//   processors      + createCostProcessors() (cost and budget processors, one shared span tree), no metrics
//   +metrics        + an SDK MeterProvider behind both processors
//   +metrics+gate   + a budget ($1000) on the run span and a budget gate call per inference span
//                   (begin, two running usage updates, end), as the instrumentations make it
// Rounds alternate between the pipelines so machine noise hits all of them alike; the median
// round is reported, as µs per span above the bare pipeline. Then the heap is measured (after GC)
// around finished traces: state must go when each trace's root ends.
import { metrics, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { TracerProvider } from '@opentelemetry/sdk-trace';
import { createCostProcessors } from '../../budget-span-processor/dist/index.js';

const TRACES_PER_ROUND = Number(process.argv[2] ?? 5_000);
const HEAP_TRACES = Number(process.argv[3] ?? 100_000);
const ROUNDS = 5;
const SPANS_PER_TRACE = 5;

let sink;
const noopExporting = {
  onStart() {},
  onEnd(span) {
    sink = span; // keep the span reachable for a moment, as an exporter would
  },
  forceFlush: () => Promise.resolve(),
  shutdown: () => Promise.resolve(),
};

class IdleReader extends MetricReader {
  onForceFlush() {
    return Promise.resolve();
  }
  onShutdown() {
    return Promise.resolve();
  }
}

function pipeline(kind) {
  const spanProcessors = [];
  let built;
  if (kind !== 'bare') {
    const meterProvider = kind === 'processors' ? metrics.getMeterProvider() : new MeterProvider({ readers: [new IdleReader()] });
    built = createCostProcessors({ costs: { meterProvider }, budgets: { meterProvider } });
    spanProcessors.push(...built.spanProcessors);
  }
  spanProcessors.push(noopExporting);
  const provider = new TracerProvider({ spanProcessors });
  return { kind, built, gate: kind === '+metrics+gate' ? built.budgetProcessor : undefined, tracer: provider.getTracer('bench') };
}

const MODELS = ['gpt-4o-mini', 'gpt-4o', 'gpt-4.1-mini'];
const noAbort = () => {};
const RUN_ATTRIBUTES = { 'gen_ai.operation.name': 'invoke_workflow', 'costtrace.run.name': 'bench' };
const BUDGETED_RUN_ATTRIBUTES = { ...RUN_ATTRIBUTES, 'costtrace.budget.limit_usd': 1000 };
function oneTrace(p, i) {
  const { tracer, gate } = p;
  const run = tracer.startSpan('invoke_workflow bench', { attributes: gate === undefined ? RUN_ATTRIBUTES : BUDGETED_RUN_ATTRIBUTES });
  const runCtx = trace.setSpan(ROOT_CONTEXT, run);
  const agent = tracer.startSpan(
    'invoke_agent researcher',
    { attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'researcher' } },
    runCtx,
  );
  const agentCtx = trace.setSpan(runCtx, agent);
  for (let k = 0; k < 3; k++) {
    const model = MODELS[k];
    const call = tracer.startSpan(
      `chat ${model}`,
      { kind: 2, attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': model } },
      agentCtx,
    );
    const input = 1000 + (i % 100);
    const output = 200 + (i % 50);
    let ticket;
    if (gate !== undefined) {
      ticket = gate.begin({
        provider: 'openai',
        operation: 'chat',
        requestModel: model,
        streaming: true,
        span: call,
        context: trace.setSpan(agentCtx, call),
        parentContext: agentCtx,
        estimate: { inputTokens: input, maxOutputTokens: 300, choices: 1 },
        abort: noAbort,
      });
      ticket.onUsage?.({ inputTokens: input, outputTokens: 100 }, true);
      ticket.onUsage?.({ inputTokens: input, outputTokens: output }, true);
    }
    call.setAttribute('gen_ai.response.model', model);
    call.setAttribute('gen_ai.usage.input_tokens', input);
    call.setAttribute('gen_ai.usage.output_tokens', output);
    ticket?.end({ outcome: 'completed', usage: { inputTokens: input, outputTokens: output }, usageEstimated: false, responseModel: model });
    call.end();
  }
  agent.end();
  run.end();
}

function round(p) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < TRACES_PER_ROUND; i++) oneTrace(p, i);
  return Number(process.hrtime.bigint() - start) / (TRACES_PER_ROUND * SPANS_PER_TRACE);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const pipelines = [pipeline('bare'), pipeline('processors'), pipeline('+metrics'), pipeline('+metrics+gate')];
for (const p of pipelines) round(p); // warm up every path before measuring any
const samples = new Map(pipelines.map((p) => [p.kind, []]));
for (let r = 0; r < ROUNDS; r++) for (const p of pipelines) samples.get(p.kind).push(round(p));

const base = median(samples.get('bare'));
console.log(`${TRACES_PER_ROUND} traces × ${SPANS_PER_TRACE} spans per round, median of ${ROUNDS} alternating rounds`);
console.log('pipeline          µs/span   µs/span above bare');
for (const p of pipelines) {
  const ns = median(samples.get(p.kind));
  console.log(`${p.kind.padEnd(16)} ${(ns / 1000).toFixed(2).padStart(8)} ${p.kind === 'bare' ? '' : ((ns - base) / 1000).toFixed(2).padStart(12)}`);
}

if (typeof globalThis.gc !== 'function') {
  console.log('heap: run node with --expose-gc to measure heap growth');
} else {
  const p = pipelines[3];
  const heap = () => {
    globalThis.gc();
    globalThis.gc();
    return process.memoryUsage().heapUsed;
  };
  for (let i = 0; i < 10_000; i++) oneTrace(p, i);
  const before = heap();
  for (let i = 0; i < HEAP_TRACES; i++) oneTrace(p, i);
  const after = heap();
  const tree = p.built.costProcessor._tree ?? p.built.costProcessor._store;
  console.log(
    `heap after ${HEAP_TRACES.toLocaleString('en-US')} finished traces with a gate: ${((after - before) / 1024).toFixed(0)} KiB growth; ` +
      `held: ${tree.traceCount} traces, ${tree.trackedSpans} spans`,
  );
}
void sink;
