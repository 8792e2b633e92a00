// `pnpm demo`: runs the pipeline (pipeline.mjs) against the built-in fake provider, writes its spans to
// a file in the OpenTelemetry Collector's `file` exporter format, reads them back and prints the run's
// cost tree. In your own app you would run `node --import @costtrace/register app.mjs` instead of
// calling registerCostTracing, and read the same spans in Jaeger, Tempo or with `costtrace report`.
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerCostTracing } from '@costtrace/register/setup';
import { startFakeLlm } from '@costtrace/fake-llm';
import { buildCostTree, printCostTree } from './cost-tree.mjs';
import { readOtlpJsonFile } from './read-otlp-json.mjs';
import { scriptedReply } from './scripted-provider.mjs';

// Offline by default: spans go to the file only. With OTEL_EXPORTER_OTLP_ENDPOINT set they also go
// over OTLP/HTTP to that Collector (the standard OTEL_* variables apply).
const collector = process.env.OTEL_EXPORTER_OTLP_ENDPOINT || process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
if (!collector) process.env.OTEL_TRACES_EXPORTER ??= 'none';
process.env.OTEL_METRICS_EXPORTER ??= 'none';
// A file named by COSTTRACE_TRACES_FILE is appended to (as `node --import @costtrace/register` does);
// the default one is started afresh. Either way the tree below is of the run made now.
const spansFile = process.env.COSTTRACE_TRACES_FILE || join(tmpdir(), 'costtrace-demo-spans.jsonl');
if (!process.env.COSTTRACE_TRACES_FILE) rmSync(spansFile, { force: true });

const tracing = registerCostTracing({ serviceName: 'costtrace-demo', tracesFile: spansFile, flushOnExit: false });
const fake = await startFakeLlm();
fake.onRequest(scriptedReply());

// Imported after registration so the SDKs load through the instrumentation's hooks.
const { runPipeline, RESEARCHER_BUDGET_USD } = await import('./pipeline.mjs');
await runPipeline({ openaiBaseURL: fake.openaiBaseURL, anthropicBaseURL: fake.anthropicBaseURL, topic: 'home batteries' });
await tracing.shutdown();
await fake.close();

// Everything below is read from the spans as written to the file, nothing from the app.
const spans = await readOtlpJsonFile(spansFile);
const tree = buildCostTree(spans); // the latest run in the file
console.log(printCostTree(tree));
const failed = fake.requests.filter((r) => r.status >= 400).length;
console.log(`\nResearcher budgets: $${RESEARCHER_BUDGET_USD} each. The fake provider answered ${fake.requests.length} requests, ${failed} with an error.`);
console.log(`Spans: ${spansFile} (trace ${tree.traceId}; OTLP JSON, one export request per line, as the Collector's file exporter writes it)`);
console.log(`Read them with: costtrace report ${spansFile}`);
if (collector) console.log(`Also sent over OTLP to ${collector}.`);
