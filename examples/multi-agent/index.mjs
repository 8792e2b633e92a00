// `pnpm demo`: runs the pipeline against the built-in fake provider and prints what each agent cost.
// In your own app you would run `node --import @costtrace/register app.mjs` instead of calling
// registerCostTracing, and read the same numbers in Jaeger or Tempo.
import { registerCostTracing } from '@costtrace/register/setup';
import { startFakeLlm } from '@costtrace/fake-llm';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace';

// The demo reads spans in-process; with no collector running there is nowhere to send metrics.
process.env.OTEL_METRICS_EXPORTER ??= 'none';
const exporter = new InMemorySpanExporter();
const tracing = registerCostTracing({ serviceName: 'costtrace-demo', traceExporter: exporter, flushOnExit: false });

// Scripted usage per model, as a real provider would report it.
const USAGE = {
  'claude-opus-4-7': { inputTokens: 2_400, outputTokens: 900 },
  'gpt-4o-mini': { inputTokens: 6_000, outputTokens: 1_200, cacheReadTokens: 2_048 },
  'claude-sonnet-4-6': { inputTokens: 14_000, outputTokens: 3_200, cacheReadTokens: 8_000, cacheWriteTokens: 2_000 },
  'gpt-4.1': { inputTokens: 9_000, outputTokens: 700 },
};
const fake = await startFakeLlm();
fake.onRequest((req) => ({ usage: USAGE[req.model], chunks: 8 }));

// Imported after registration so the SDKs load through the instrumentation's hooks.
const { runPipeline } = await import('./pipeline.mjs');
await runPipeline({ openaiBaseURL: fake.openaiBaseURL, anthropicBaseURL: fake.anthropicBaseURL, topic: 'home batteries' });
await tracing.forceFlush();
await fake.close();

const spans = exporter.getFinishedSpans();
const usd = (n) => (n === undefined ? '—' : `$${n.toFixed(6)}`);
const rows = spans
  .filter((s) => s.attributes['gen_ai.operation.name'] === 'invoke_agent')
  .sort((a, b) => Number(a.startTime[0] - b.startTime[0]) || a.startTime[1] - b.startTime[1])
  .map((s) => ({
    agent: s.attributes['gen_ai.agent.name'],
    calls: s.attributes['costtrace.subtree.llm_calls'],
    'input tokens': s.attributes['costtrace.subtree.input_tokens'],
    'output tokens': s.attributes['costtrace.subtree.output_tokens'],
    cost: usd(s.attributes['costtrace.subtree.cost_usd']),
  }));
const run = spans.find((s) => s.attributes['gen_ai.operation.name'] === 'invoke_workflow');
console.log('Cost per agent (priced from each call\'s usage, rolled up the trace):');
console.table(rows);
console.log(`Run "${run?.attributes['costtrace.run.name']}" total: ${usd(run?.attributes['costtrace.subtree.cost_usd'])} ` +
  `over ${run?.attributes['costtrace.subtree.llm_calls']} model calls (budget $${run?.attributes['costtrace.budget.limit_usd']}).`);
await tracing.shutdown();
