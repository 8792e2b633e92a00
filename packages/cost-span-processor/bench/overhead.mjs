// Overhead of CostSpanProcessor, measured side by side in one run against the BUILT package:
//   pnpm --filter @costtrace/cost-span-processor build
//   node --expose-gc packages/cost-span-processor/bench/overhead.mjs [traces-per-round] [heap-traces]
// Each trace is run → agent → 3 inference spans with usage (5 spans). The pipeline is a
// TracerProvider with a no-op exporting processor, without and with CostSpanProcessor (and with
// it plus an SDK MeterProvider, since metrics recording is part of the per-call cost). Rounds
// alternate between the pipelines so that machine noise hits all of them alike; the median
// round is reported. Then the heap is measured (after GC) around 1,000,000 finished traces.
import { metrics, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { TracerProvider } from '@opentelemetry/sdk-trace';
import { CostSpanProcessor } from '../dist/index.js';

const TRACES_PER_ROUND = Number(process.argv[2] ?? 20_000);
const HEAP_TRACES = Number(process.argv[3] ?? 1_000_000);
const ROUNDS = 9;
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
  const processors = [];
  let cost;
  if (kind !== 'baseline') {
    const meterProvider = kind === 'cost+metrics' ? new MeterProvider({ readers: [new IdleReader()] }) : metrics.getMeterProvider();
    cost = new CostSpanProcessor({ meterProvider });
    processors.push(cost);
  }
  processors.push(noopExporting);
  const provider = new TracerProvider({ spanProcessors: processors });
  return { kind, cost, tracer: provider.getTracer('bench') };
}

const MODELS = ['gpt-4o-mini', 'gpt-4o', 'gpt-4.1-mini'];
function oneTrace(tracer, i) {
  const run = tracer.startSpan('invoke_workflow bench', {
    attributes: { 'gen_ai.operation.name': 'invoke_workflow', 'costtrace.run.name': 'bench' },
  });
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
    call.setAttribute('gen_ai.response.model', model);
    call.setAttribute('gen_ai.usage.input_tokens', 1000 + (i % 100));
    call.setAttribute('gen_ai.usage.output_tokens', 200 + (i % 50));
    call.end();
  }
  agent.end();
  run.end();
}

function round(p) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < TRACES_PER_ROUND; i++) oneTrace(p.tracer, i);
  return Number(process.hrtime.bigint() - start) / (TRACES_PER_ROUND * SPANS_PER_TRACE);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const pipelines = [pipeline('baseline'), pipeline('cost'), pipeline('cost+metrics')];
for (const p of pipelines) round(p); // warm up every path before measuring any
const samples = new Map(pipelines.map((p) => [p.kind, []]));
for (let r = 0; r < ROUNDS; r++) for (const p of pipelines) samples.get(p.kind).push(round(p));

const base = median(samples.get('baseline'));
console.log(`${TRACES_PER_ROUND} traces × ${SPANS_PER_TRACE} spans per round, median of ${ROUNDS} alternating rounds`);
console.log('pipeline                    ns/span   ratio   +ns/span   +ns/inference span (all overhead / 3)');
for (const p of pipelines) {
  const ns = median(samples.get(p.kind));
  const extraPerSpan = ns - base;
  console.log(
    `${p.kind.padEnd(26)} ${ns.toFixed(0).padStart(8)} ${(ns / base).toFixed(2).padStart(7)} ${extraPerSpan.toFixed(0).padStart(10)} ${((extraPerSpan * SPANS_PER_TRACE) / 3).toFixed(0).padStart(10)}`,
  );
}

// Heap growth over HEAP_TRACES finished traces: state must go when each trace's root ends.
if (typeof globalThis.gc !== 'function') {
  console.log('heap: run node with --expose-gc to measure heap growth');
} else {
  const p = pipelines[1];
  const heap = () => {
    globalThis.gc();
    globalThis.gc();
    return process.memoryUsage().heapUsed;
  };
  for (let i = 0; i < 10_000; i++) oneTrace(p.tracer, i);
  const before = heap();
  const start = process.hrtime.bigint();
  for (let i = 0; i < HEAP_TRACES; i++) oneTrace(p.tracer, i);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const after = heap();
  const store = p.cost._store;
  console.log(
    `heap after ${HEAP_TRACES.toLocaleString('en-US')} finished traces (${seconds.toFixed(1)} s): ` +
      `${((after - before) / 1024).toFixed(0)} KiB growth (${(before / 1048576).toFixed(1)} → ${(after / 1048576).toFixed(1)} MiB); ` +
      `held: ${store.traceCount} traces, ${store.trackedSpans} spans`,
  );
}
void sink;
