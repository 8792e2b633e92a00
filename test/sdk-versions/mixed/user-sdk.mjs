// A user's own OpenTelemetry setup, loaded with `node --import ./user-sdk.mjs app.mjs`:
// NodeSDK with costtrace's processors and sampler wrapper, and whichever instrumentations
// COSTTRACE_TEST_INSTRUMENTATIONS names (costtrace, official-openai).
import { registerEsmLoaderHook, RecordAllSampler } from '@costtrace/register/setup';

registerEsmLoaderHook();

const { NodeSDK } = await import('@opentelemetry/sdk-node');
const { AlwaysOnSampler, BatchSpanProcessor, ParentBasedSampler } = await import('@opentelemetry/sdk-trace');
const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
const { CostSpanProcessor } = await import('@costtrace/cost-span-processor');
const { BudgetSpanProcessor } = await import('@costtrace/budget-span-processor');
const { OpenAIInstrumentation } = await import('@costtrace/instrumentation-openai');
const { AnthropicInstrumentation } = await import('@costtrace/instrumentation-anthropic');
const official = await import('@opentelemetry/instrumentation-openai');

const wanted = (process.env.COSTTRACE_TEST_INSTRUMENTATIONS ?? 'costtrace').split(',');
const instrumentations = [
  ...(wanted.includes('costtrace') ? [new OpenAIInstrumentation(), new AnthropicInstrumentation()] : []),
  ...(wanted.includes('official-openai') ? [new official.OpenAIInstrumentation()] : []),
];
const sdk = new NodeSDK({
  sampler: new RecordAllSampler(new ParentBasedSampler({ root: new AlwaysOnSampler() })),
  spanProcessors: [new CostSpanProcessor(), new BudgetSpanProcessor(), new BatchSpanProcessor({ exporter: new OTLPTraceExporter() })],
  instrumentations,
});
sdk.start();
process.once('beforeExit', () => void sdk.shutdown());
