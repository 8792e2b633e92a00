// The same setup as user-sdk.mjs, for `node --require ./user-sdk.cjs app.cjs`.
const { isMainThread, parentPort } = require('node:worker_threads');

// Node 20 also runs --require preloads in its module-hooks thread; nothing there is the app's.
if (isMainThread || parentPort !== null) {
  const { RecordAllSampler } = require('@costtrace/register/setup');
  const { NodeSDK } = require('@opentelemetry/sdk-node');
  const { AlwaysOnSampler, BatchSpanProcessor, ParentBasedSampler } = require('@opentelemetry/sdk-trace');
  const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http');
  const { CostSpanProcessor } = require('@costtrace/cost-span-processor');
  const { BudgetSpanProcessor } = require('@costtrace/budget-span-processor');
  const { OpenAIInstrumentation } = require('@costtrace/instrumentation-openai');
  const { AnthropicInstrumentation } = require('@costtrace/instrumentation-anthropic');
  const official = require('@opentelemetry/instrumentation-openai');

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
}
