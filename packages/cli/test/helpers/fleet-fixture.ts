// Writes the span file the report tests read, the way a real app produces it: spans go through
// costtrace's own cost and budget processors (which price each call from its usage and roll costs
// up) and out through the real OTLP/HTTP JSON exporter to a loopback stand-in for the Collector's
// OTLP receiver + `file` exporter, which appends each export request as one line.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { appendFileSync, writeFileSync } from 'node:fs';
import { context, SpanKind, trace, type Attributes, type Context, type Span } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { createCostProcessors } from '@costtrace/budget-span-processor';

/** One model call: agent, step, model and usage; cost comes from the cost processor. */
interface CallSpec {
  agent: string;
  step: string;
  model: string;
  provider?: string;
  input: number;
  output: number;
}

interface RunSpec {
  id: string;
  start: string;
  budgetUsd?: number;
  agentBudgets?: Record<string, number>;
  calls: CallSpec[];
}

const opus = 'claude-opus-4-7'; // $5 / $25 per MTok
const sonnet = 'claude-sonnet-4-5'; // $3 / $15 per MTok
const haiku = 'claude-haiku-4-5'; // $1 / $5 per MTok

// Four runs of one workflow: two in the week of 9 Nov (the baseline), two in the week of 16 Nov.
export const FLEET_RUNS: RunSpec[] = [
  {
    id: 'run-1',
    start: '2026-11-09T10:00:00Z',
    calls: [
      { agent: 'planner', step: 'plan', model: sonnet, input: 100_000, output: 20_000 }, // 0.30 + 0.30 = 0.60
      { agent: 'researcher', step: 'search', model: opus, input: 200_000, output: 40_000 }, // 1.00 + 1.00 = 2.00
      { agent: 'researcher', step: 'synthesize', model: opus, input: 200_000, output: 40_000 }, // 2.00
      { agent: 'writer', step: 'draft', model: sonnet, input: 150_000, output: 60_000 }, // 0.45 + 0.90 = 1.35
      { agent: 'examples', step: 'examples', model: opus, input: 100_000, output: 50_000 }, // 0.50 + 1.25 = 1.75
      { agent: 'reviewer', step: 'review', model: haiku, input: 100_000, output: 10_000 }, // 0.10 + 0.05 = 0.15
    ], // 7.85
  },
  {
    id: 'run-2',
    start: '2026-11-10T10:00:00Z',
    budgetUsd: 10,
    calls: [
      { agent: 'planner', step: 'plan', model: sonnet, input: 100_000, output: 20_000 }, // 0.60
      { agent: 'researcher', step: 'search', model: opus, input: 200_000, output: 40_000 }, // 2.00
      { agent: 'writer', step: 'draft', model: sonnet, input: 150_000, output: 60_000 }, // 1.35
      { agent: 'examples', step: 'examples', model: opus, input: 100_000, output: 50_000 }, // 1.75
      { agent: 'reviewer', step: 'review', model: haiku, input: 100_000, output: 10_000 }, // 0.15
    ], // 5.85
  },
  {
    id: 'run-3',
    start: '2026-11-16T10:00:00Z',
    calls: [
      { agent: 'planner', step: 'plan', model: sonnet, input: 100_000, output: 20_000 }, // 0.60
      { agent: 'planner', step: 'triage', model: 'acme-local-7b', provider: 'acme', input: 1_000, output: 100 }, // unpriced
      { agent: 'researcher', step: 'search', model: opus, input: 200_000, output: 40_000 }, // 2.00
      { agent: 'writer', step: 'draft', model: sonnet, input: 150_000, output: 60_000 }, // 1.35
      { agent: 'reviewer', step: 'review', model: haiku, input: 100_000, output: 10_000 }, // 0.15
    ], // 4.10
  },
  {
    id: 'run-4',
    start: '2026-11-17T10:00:00Z',
    agentBudgets: { researcher: 4 },
    calls: [
      { agent: 'planner', step: 'plan', model: sonnet, input: 100_000, output: 20_000 }, // 0.60
      { agent: 'researcher', step: 'search', model: opus, input: 370_000, output: 100_000 }, // 1.85 + 2.50 = 4.35
      { agent: 'writer', step: 'draft', model: sonnet, input: 150_000, output: 60_000 }, // 1.35
      { agent: 'reviewer', step: 'review', model: haiku, input: 100_000, output: 10_000 }, // 0.15
    ], // 6.45
  },
];

/** Writes the fleet's spans to `path`, one OTLP JSON export request per line. */
export async function writeFleetSpanFile(path: string): Promise<void> {
  writeFileSync(path, '');
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      // The Collector's file exporter writes each request as one line of OTLP JSON.
      appendFileSync(path, `${JSON.stringify(JSON.parse(Buffer.concat(chunks).toString('utf8')))}\n`);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const built = createCostProcessors({ costs: {}, budgets: {} });
  const exporter = new OTLPTraceExporter({ url: `http://127.0.0.1:${port}/v1/traces` });
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'research-agents' }),
    spanProcessors: [...built.spanProcessors, new BatchSpanProcessor({ exporter, maxExportBatchSize: 16 })],
  });
  const tracer = provider.getTracer('fleet-fixture');
  try {
    for (const run of FLEET_RUNS) writeRun(tracer, run);
    await provider.forceFlush();
  } finally {
    await provider.shutdown();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

type Tracer = ReturnType<TracerProvider['getTracer']>;

function writeRun(tracer: Tracer, run: RunSpec): void {
  let t = Date.parse(run.start);
  const tick = () => (t += 1000);
  const child = (parent: Span, name: string, attributes: Attributes, kind = SpanKind.INTERNAL) =>
    tracer.startSpan(name, { attributes, kind, startTime: tick() }, trace.setSpan(context.active(), parent) as Context);
  const runSpan = tracer.startSpan(`invoke_workflow nightly-research`, {
    startTime: tick(),
    attributes: {
      'gen_ai.operation.name': 'invoke_workflow',
      'costtrace.run.name': 'nightly-research',
      'costtrace.run.id': run.id,
      ...(run.budgetUsd === undefined ? {} : { 'costtrace.budget.limit_usd': run.budgetUsd }),
    },
  });
  const agents = new Map<string, Span>();
  for (const call of run.calls) {
    let agent = agents.get(call.agent);
    if (agent === undefined) {
      const budget = run.agentBudgets?.[call.agent];
      agent = child(runSpan, `invoke_agent ${call.agent}`, {
        'gen_ai.operation.name': 'invoke_agent',
        'gen_ai.agent.name': call.agent,
        ...(budget === undefined ? {} : { 'costtrace.budget.limit_usd': budget }),
      });
      agents.set(call.agent, agent);
    }
    const step = child(agent, call.step, { 'costtrace.step.name': call.step });
    const span = child(
      step,
      `chat ${call.model}`,
      {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': call.provider ?? 'anthropic',
        'gen_ai.request.model': call.model,
        'gen_ai.response.model': call.model,
        'gen_ai.usage.input_tokens': call.input,
        'gen_ai.usage.output_tokens': call.output,
      },
      SpanKind.CLIENT,
    );
    span.end(tick());
    step.end(tick());
  }
  for (const agent of agents.values()) agent.end(tick());
  runSpan.end(tick());
}
